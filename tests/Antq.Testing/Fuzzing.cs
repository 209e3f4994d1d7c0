using System.Diagnostics;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Antq.Testing;

/// <summary>
/// Property-based fuzzing of the file readers (docs/security.md, "Fuzzing"): FsCheck generates mutations of a real
/// file — bytes flipped, cut, deleted, repeated, or replaced by tokens that break parsers (huge numbers, cell references
/// past any sheet, markup) — and the property holds for each: the reader answers a result or its documented refusal,
/// within its time bound. A test runs for a few seconds; <c>ANTQ_FUZZ_SECONDS</c> runs each for that long instead.
/// A failure names FsCheck's seed, so the same inputs can be replayed.
/// </summary>
public static class Fuzzing
{
    public const string SecondsVariable = "ANTQ_FUZZ_SECONDS";

    /// <summary><paramref name="brief"/>, or the seconds of <c>ANTQ_FUZZ_SECONDS</c> when it is set.</summary>
    public static TimeSpan Budget(TimeSpan brief) =>
        int.TryParse(Environment.GetEnvironmentVariable(SecondsVariable), out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : brief;

    /// <summary>
    /// Checks <paramref name="property"/> on inputs from <paramref name="inputs"/> in rounds of fresh seeds until the
    /// budget is spent; throws FsCheck's report at the first input it fails on. Answers how many inputs were tried.
    /// </summary>
    public static int Run<T>(Gen<T> inputs, Action<T> property, TimeSpan brief)
    {
        const int round = 20;
        var budget = Budget(brief);
        var clock = Stopwatch.StartNew();
        var tried = 0;
        do
        {
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(round).WithQuietOnSuccess(true), Prop.ForAll(Arb.From(inputs), property));
            tried += round;
        }
        while (clock.Elapsed < budget);

        return tried;
    }

    /// <summary>Tokens that break parsers: numbers past every integer type, cell references past any sheet, markup.</summary>
    public static readonly string[] Tokens =
    [
        "99999999999999999999999999999999", "2147483648", "-2147483649", "4294967296", "9223372036854775808", "-1", "0", "1e400",
        "NaN", "Infinity", "-0", "1.7976931348623157E+309", "0x7FFFFFFF", "٣", "１２",
        "r=\"A2147483648\"", "r=\"XFD1048576\"", "r=\"B99999999999999999999\"", "r=\"AAAAAAAAAAAAAAAAAAAAAAAA1\"", "r=\"A0\"", "r=\"1A\"", "r=\"\"",
        "<c r=\"A2147483647\"><v>1</v></c>", "<row r=\"2147483647\">", "<row r=\"99999999999\">", "<v>1E+308</v>", "<v>-1E+308</v>",
        "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>", "&b;", "&#0;", "&#xFFFF;", "]]>", "<![CDATA[", "<", ">", "\"", "'", "&",
        "<si><t>", "</t></si>", "<c t=\"s\"><v>999999999</v></c>", "<c t=\"s\"><v>-1</v></c>", "<c t=\"inlineStr\"><is><t>x</t></is></c>",
        "\0", "\r", "\n", ",", ";", "\"\"", "\"a,b\"", "\uFEFF", "\uFFFD", "\u0301", "{", "}", "[", "]", "null", "true", ":", "\\u0000",
    ];

    /// <summary>1 to 4 mutations of a file of <paramref name="length"/> bytes; apply them with <see cref="Apply"/>.</summary>
    public static Gen<Mutation[]> Mutations(int length) =>
        (from kind in Gen.Elements(Enum.GetValues<MutationKind>())
         from position in Gen.Choose(0, Math.Max(0, length))
         from size in Gen.Frequency((6, Gen.Choose(1, 16)), (2, Gen.Choose(16, 4096)), (1, Gen.Choose(4096, 1 << 20)))
         from value in Gen.Choose(0, int.MaxValue)
         select new Mutation(kind, position, size, value)).ArrayOf().Where(m => m.Length is > 0 and <= 4);

    public static byte[] Apply(byte[] input, IEnumerable<Mutation> mutations) => mutations.Aggregate(input, (bytes, m) => m.Apply(bytes));

    public static string Apply(string input, IEnumerable<Mutation> mutations) =>
        Encoding.UTF8.GetString(Apply(Encoding.UTF8.GetBytes(input), mutations));
}

public enum MutationKind { FlipByte, Truncate, Delete, Repeat, InsertToken, OverwriteToken }

/// <summary>One change to a file; positions wrap around its length, so a mutation applies to any file.</summary>
public sealed record Mutation(MutationKind Kind, int Position, int Size, int Value)
{
    public byte[] Apply(byte[] input)
    {
        var at = input.Length == 0 ? 0 : Position % (input.Length + 1);
        var token = Encoding.UTF8.GetBytes(Fuzzing.Tokens[Value % Fuzzing.Tokens.Length]);
        var rest = input.Length - at;
        return Kind switch
        {
            MutationKind.FlipByte when input.Length > 0 => Flip(input, Math.Min(at, input.Length - 1), (byte)(1 << (Value % 8))),
            MutationKind.Truncate => input[..at],
            MutationKind.Delete => [.. input[..at], .. input[Math.Min(input.Length, at + Size)..]],
            // A run repeated: at most 64 copies and 4 MB, enough to pass every limit without exhausting the test.
            MutationKind.Repeat => [.. input[..at], .. Repeated(input.AsSpan(at, Math.Min(Size, rest)).ToArray(), 1 + Value % 64), .. input[at..]],
            MutationKind.InsertToken => [.. input[..at], .. token, .. input[at..]],
            MutationKind.OverwriteToken => [.. input[..at], .. token, .. input[Math.Min(input.Length, at + token.Length)..]],
            _ => input,
        };
    }

    static byte[] Flip(byte[] input, int at, byte mask)
    {
        var copy = (byte[])input.Clone();
        copy[at] ^= mask;
        return copy;
    }

    static byte[] Repeated(byte[] run, int times)
    {
        times = run.Length == 0 ? 0 : Math.Min(times, (4 << 20) / run.Length);
        var result = new byte[run.Length * times];
        for (var i = 0; i < times; i++) run.CopyTo(result, i * run.Length);
        return result;
    }

    public override string ToString() => $"{Kind}@{Position}/{Size}/{Value}";
}
