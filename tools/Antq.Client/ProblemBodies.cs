namespace Antq.Client.Identity
{
    public partial class IdentityClient
    {
        // See Antq.Client.Reporting.ReportingClient.Initialize.
        partial void Initialize() => ReadResponseAsString = true;
    }
}

namespace Antq.Client.Plan
{
    public partial class PlanClient
    {
        partial void Initialize() => ReadResponseAsString = true;
    }
}

namespace Antq.Client.Reporting
{
    public partial class ReportingClient
    {
        /// <summary>
        /// Every answer is read as text before it is deserialised, so that an <see cref="ApiException"/> carries the body
        /// as sent and its <see cref="ApiException.Problem"/> (the Vietnamese title, detail and errors by field); read
        /// from the stream, the generated code would keep no text. Answers are small JSON documents: the cost is nil.
        /// </summary>
        partial void Initialize() => ReadResponseAsString = true;
    }
}

namespace Antq.Client.Classification
{
    public partial class ClassificationClient
    {
        partial void Initialize() => ReadResponseAsString = true;
    }
}

namespace Antq.Client.Notification
{
    public partial class NotificationClient
    {
        partial void Initialize() => ReadResponseAsString = true;
    }
}
