namespace Antq.Client.Reporting;

/// <summary>
/// The version a step acts on (If-Match): a report's ETag is its version, which the report's body also carries. The
/// documents declare the header as a parameter (<c>if_Match</c> of the generated methods); this writes it.
/// </summary>
public partial class ReportingClient
{
    /// <summary>The If-Match value for a report's <c>version</c>: the version as an entity tag.</summary>
    public static string IfMatchOf(int version) => $"\"{version}\"";
}
