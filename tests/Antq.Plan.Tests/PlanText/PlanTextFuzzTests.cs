using System.Diagnostics;
using System.Globalization;
using System.Text;
using Antq.Plan.Api.PlanText;
using Xunit.Abstractions;

namespace Antq.Plan.Tests.PlanText;

/// <summary>
/// Fuzzing of the plan reader with a seeded generator: random Unicode, random mutations of the real plans (cut,
/// duplicated, shuffled, OCR noise, stray characters), very long lines and deep repetition of the reader's own
/// keywords. For every input: no exception but the documented refusals (<see cref="PlanTextReader"/>), every span
/// points at the text it names, and the read takes at most <see cref="Bound"/>: 0.5 s plus 1 s per 200,000
/// characters of the reading thread's CPU time (<see cref="ThreadClock"/>; wall time where that cannot be read),
/// so that other tests and processes on the machine do not count. The real plans read at about 10 MB/s; a
/// quadratic step on a megabyte goes far past the bound.
/// <para>
/// In the suite each property runs a few dozen inputs. For a longer run:
/// <c>ANTQ_FUZZ_ITERATIONS=5000 ANTQ_FUZZ_SEED=42 dotnet test tests/Antq.Plan.Tests --filter "FullyQualifiedName~PlanTextFuzz"</c>
/// (iterations per property; the seed of a failing input is in the message).
/// </para>
/// </summary>
public sealed class PlanTextFuzzTests(ITestOutputHelper output)
{
    static int Iterations(int suite) =>
        int.TryParse(Environment.GetEnvironmentVariable("ANTQ_FUZZ_ITERATIONS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : suite;

    static int BaseSeed =>
        int.TryParse(Environment.GetEnvironmentVariable("ANTQ_FUZZ_SEED"), CultureInfo.InvariantCulture, out var n) ? n : 20241;

    public static TimeSpan Bound(int length) => TimeSpan.FromSeconds(0.5 + length / 200_000.0);

    static readonly string[] Seeds = [.. PlanFixture.Names.Select(n => PlanFixture.Of(n).Text)];

    /// <summary>Reads the text and checks the properties; returns the time taken.</summary>
    static TimeSpan Check(string text, string what)
    {
        var clock = ThreadClock.Start();
        PlanDraft draft;
        try
        {
            draft = PlanTextReader.Read(text, IndicatorCatalogue.Default);
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"{what}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
        }

        var elapsed = clock.Elapsed;
        Assert.True(elapsed <= Bound(text.Length), $"{what}: {text.Length} characters read in {elapsed.TotalSeconds:F2} s ({ThreadClock.What}), bound {Bound(text.Length).TotalSeconds:F2} s");
        foreach (var span in Spans(draft))
        {
            Assert.True(span.Start >= 0 && span.Length >= 0 && span.Start + span.Length <= text.Length, $"{what}: span {span.Start}+{span.Length} outside the text");
            Assert.True(span.Snippet == text.Substring(span.Start, span.Length) || span.Snippet == PlanTextReader.WithoutInvalidCharacters(text).Substring(span.Start, span.Length), $"{what}: snippet is not the text at its span");
        }

        return elapsed;
    }

    static IEnumerable<TextSpan> Spans(PlanDraft d)
    {
        if (d.Number is { } n) yield return n.Span;
        if (d.IssuedOn is { } o) yield return o.Span;
        if (d.Place is { } p) yield return p.Span;
        if (d.IssuerName is { } i) yield return i.Span;
        if (d.IssuerLevel is { } l) yield return l.Span;
        if (d.Year is { } y) yield return y.Span;
        if (d.ImplementingPlansDue is { } ip) yield return ip.Span;
        if (d.ReportTo is { } r) yield return r.Span;
        foreach (var x in d.ParentReferences) yield return x.Span;
        foreach (var x in d.Deadlines.Values) yield return x.Span;
        foreach (var x in d.Targets) yield return x.Span;
    }

    // Characters the generator draws from: the plans' own alphabet and what breaks readers.
    const string Vietnamese = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĐĂÂÊÔƠƯKHUBND";
    const string Punctuation = " \n\t\r.,;:!?()[]{}\"'“”‘’-–—/\\%&€#*+=<>|_~^`@$ \u00A0\u2028\u200B\uFEFF";
    const string Combining = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031B";

    static string RandomText(Random random, int length)
    {
        var builder = new StringBuilder(length);
        while (builder.Length < length)
        {
            switch (random.Next(10))
            {
                case < 4: builder.Append(Vietnamese[random.Next(Vietnamese.Length)]); break;
                case 4: builder.Append((char)('0' + random.Next(10))); break;
                case 5: case 6: builder.Append(Punctuation[random.Next(Punctuation.Length)]); break;
                case 7: builder.Append(Combining[random.Next(Combining.Length)]); break;
                case 8: builder.Append((char)random.Next(0, 0x10000)); break; // anything, lone surrogates included
                default: builder.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x10FFFF) is var cp && cp is >= 0xD800 and <= 0xDFFF ? 0x1F600 : cp)); break;
            }
        }

        return builder.ToString();
    }

    static string Mutate(Random random, string text)
    {
        var builder = new StringBuilder(text);
        var steps = 1 + random.Next(8);
        for (var s = 0; s < steps && builder.Length > 0; s++)
        {
            var at = random.Next(builder.Length);
            var length = Math.Min(builder.Length - at, random.Next(1, 2000));
            switch (random.Next(7))
            {
                case 0: builder.Remove(at, length); break;
                case 1: builder.Insert(random.Next(builder.Length), builder.ToString(at, length)); break;
                case 2: builder.Insert(at, RandomText(random, random.Next(1, 200))); break;
                case 3: builder.Replace("\n", " ", at, length); break;
                case 4: builder.Replace(" ", "", at, length); break;
                case 5: builder.Replace(".", "", at, length); break;
                default:
                    var noisy = OcrNoise.Apply(builder.ToString(at, length), random.NextDouble(), random.Next());
                    builder.Remove(at, length).Insert(at, noisy);
                    break;
            }
        }

        return builder.ToString();
    }

    [Fact]
    public void Random_unicode_reads_without_exception_within_the_bound()
    {
        var iterations = Iterations(60);
        for (var i = 0; i < iterations; i++)
        {
            var seed = BaseSeed + i;
            var random = new Random(seed);
            Check(RandomText(random, random.Next(0, i % 10 == 0 ? 50_000 : 3_000)), $"random text, seed {seed}");
        }
    }

    [Fact]
    public void Mutated_real_plans_read_without_exception_within_the_bound()
    {
        var iterations = Iterations(60);
        for (var i = 0; i < iterations; i++)
        {
            var seed = BaseSeed + 100_000 + i;
            var random = new Random(seed);
            Check(Mutate(random, Seeds[random.Next(Seeds.Length)]), $"mutated plan, seed {seed}");
        }
    }

    /// <summary>Keywords of the reader repeated without end, in one line and without punctuation: the inputs that make a quadratic step show.</summary>
    public static TheoryData<string> Repeated => new()
    {
        "trước ngày 15/6 báo cáo sơ kết 6 tháng về Công an tỉnh ",
        "90% khu dân cư đạt tiêu chuẩn an toàn về an ninh, trật tự ",
        "mỗi xã 01 mô hình hoạt động hiệu quả trở lên ",
        "Thực hiện Kế hoạch số 12/KH-UBND ngày 15/01/2024 của Ủy ban nhân dân huyện Phù Cừ ",
        "Ban Chỉ đạo tỉnh Bình Thuận ban hành kế hoạch ",
        "KẾ HOẠCH năm 2024 ",
        "((((((((((",
        "1 2 3 4 5 6 7 8 9 0 / - ",
        "tỉnh Bình Thuận tỉnh ",
        "c6ng tác xây dwng ph6ng trà0 k€ ho ạch số 1 2 /KH- UBND ",
        "a\u0301\u0301\u0301\u0301\u0301b\u0323 ",
        "I. ",
        "\n- 1. (2) a) ",
    };

    [Theory]
    [MemberData(nameof(Repeated))]
    public void A_megabyte_of_one_phrase_repeated_is_read_within_the_bound(string phrase)
    {
        var length = Iterations(0) > 0 ? 2_000_000 : 1_000_000;
        var text = new StringBuilder(length + phrase.Length);
        while (text.Length < length) text.Append(phrase);
        var elapsed = Check(text.ToString(), $"\"{phrase}\" repeated to {text.Length} characters");
        output.WriteLine($"{text.Length} characters: {elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public void A_very_long_line_of_a_plan_without_line_breaks_or_full_stops_is_read_within_the_bound()
    {
        var plan = string.Concat(Seeds).Replace('\n', ' ').Replace(". ", " ").Replace("; ", " ");
        var text = new StringBuilder();
        while (text.Length < 1_000_000) text.Append(plan);
        Check(text.ToString(), "plans in one line without full stops");
    }

    [Fact]
    public void A_text_longer_than_the_limit_is_refused_as_documented()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PlanTextReader.Read(new string('a', PlanTextReader.MaxLength + 1), IndicatorCatalogue.Default));
        Assert.Throws<ArgumentNullException>(() => PlanTextReader.Read(null!, IndicatorCatalogue.Default));
    }
}

/// <summary>CPU time of the calling thread (Linux: clock_gettime(CLOCK_THREAD_CPUTIME_ID)); elsewhere wall time.</summary>
public sealed class ThreadClock
{
    readonly TimeSpan start;
    readonly Stopwatch wall = Stopwatch.StartNew();

    ThreadClock() => start = Now() ?? TimeSpan.Zero;

    public static ThreadClock Start() => new();

    public static string What => Now() is null ? "wall time" : "CPU time of the thread";

    public TimeSpan Elapsed => Now() is { } now ? now - start : wall.Elapsed;

    struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGetTime(int clock, out Timespec time);

    static TimeSpan? Now()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            const int ThreadCpuTimeClock = 3; // CLOCK_THREAD_CPUTIME_ID
            return ClockGetTime(ThreadCpuTimeClock, out var t) == 0 ? TimeSpan.FromTicks(t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100) : null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }
}
