using System.Globalization;
using System.Text;

namespace Antq.Plan.Tests.PlanText;

/// <summary>
/// Makes a text look like the OCR of a scan, reproducibly (same text, level and seed: same result). The noise level
/// runs from 0 (the text as it is) to 1; each kind of noise below happens with its rate times the level:
/// <list type="bullet">
/// <item>look-alikes (rate 0.5 per character that has one), as OCR of Vietnamese gives them: ô (any tone) → 6 or o;
/// ơ (any tone) → o; l → 1 or I; ê (any tone) → € or é; à → &amp;; ư (any tone) → w; đ → d, Đ → D;</item>
/// <item>lost diacritics (rate 0.5 per other letter with diacritics): the bare letter (ạ → a, Ế → E);</item>
/// <item>broken words (rate 0.1 per word of three letters or more): a space inside it ("hoạch" → "ho ạch");</item>
/// <item>spaced numbers and codes (rate 0.5 per number or document code): a space inside it, between two digits
/// ("87,5%" → "8 7,5%") or beside a / or - ("12/KH-UBND" → "12 /KH-UBND");</item>
/// <item>digits read as letters (rate 0.2 per 0 or 1): 0 → O, 1 → l or I ("2021" → "2O2l").</item>
/// </list>
/// Level 1 is a very bad scan: half of all look-alike letters wrong, a word in ten broken. See
/// <see cref="OcrReadingTests"/> for the levels taken as typical of real scans.
/// <para>
/// <see cref="ApplyUntuned"/> adds confusions the reader was not built for, to see how it fares on them (reported,
/// not asserted): joined words (rate 0.05 per space: the space dropped), tone marks swapped (rate 0.5 per toned
/// vowel: another tone), letter shapes (rate 0.05 per letter: m → rn, c → e, h → b, n → u) and line breaks put in
/// the middle of lines (rate 0.02 per space).
/// </para>
/// </summary>
public static class OcrNoise
{
    public const double LookAlikeRate = 0.5;
    public const double LostDiacriticRate = 0.5;
    public const double BrokenWordRate = 0.1;
    public const double SpacedCodeRate = 0.5;
    public const double DigitAsLetterRate = 0.2;

    public static string Apply(string text, double level, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 1);
        var random = new Random(seed);
        bool Chance(double rate) => random.NextDouble() < rate * level;
        var letters = new StringBuilder(text.Length);
        foreach (var c in Antq.Plan.Api.PlanText.PlanTextReader.WithoutInvalidCharacters(text).Normalize(NormalizationForm.FormC))
        {
            var bare = Bare(c);
            var lookAlike = LookAlike(c, bare, random);
            if (c is '0' or '1' && Chance(DigitAsLetterRate)) letters.Append(c == '0' ? 'O' : random.Next(2) == 0 ? 'l' : 'I');
            else if (lookAlike is not null && Chance(LookAlikeRate)) letters.Append(lookAlike);
            else if (lookAlike is null && bare != c && Chance(LostDiacriticRate)) letters.Append(bare);
            else letters.Append(c);
        }

        return Spacing(letters.ToString(), random, Chance);
    }

    public static string ApplyUntuned(string text, double level, int seed)
    {
        var noisy = Apply(text, level, seed);
        var random = new Random(seed ^ 0x5EED);
        bool Chance(double rate) => random.NextDouble() < rate * level;
        var result = new StringBuilder(noisy.Length);
        const string Tones = "\u0300\u0301\u0303\u0309\u0323";
        foreach (var c in noisy.Normalize(NormalizationForm.FormD))
        {
            if (Tones.Contains(c) && Chance(0.5)) { result.Append(Tones[random.Next(Tones.Length)]); continue; }
            if (c == ' ' && Chance(0.05)) continue;
            if (c == ' ' && Chance(0.02)) { result.Append('\n'); continue; }
            if (c is 'm' or 'c' or 'h' or 'n' && Chance(0.05)) { result.Append(c switch { 'm' => "rn", 'c' => "e", 'h' => "b", _ => "u" }); continue; }
            result.Append(c);
        }

        return result.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>What OCR reads a character as, or null if it has no look-alike in the list.</summary>
    static string? LookAlike(char c, char bare, Random random)
    {
        var shape = Shape(c);
        return shape switch
        {
            'ô' => random.Next(2) == 0 ? "6" : "o",
            'Ô' => random.Next(2) == 0 ? "6" : "O",
            'ơ' => "o",
            'Ơ' => "O",
            'ê' => random.Next(2) == 0 ? "€" : "é",
            'Ê' => random.Next(2) == 0 ? "€" : "É",
            'ư' => "w",
            'Ư' => "W",
            _ => c switch
            {
                'l' => random.Next(2) == 0 ? "1" : "I",
                'à' => "&",
                'đ' => "d",
                'Đ' => "D",
                _ => null,
            },
        };
    }

    /// <summary>The letter without its tone mark but with its shape (ố → ô, ợ → ơ).</summary>
    static char Shape(char c)
    {
        if (char.IsSurrogate(c)) return c;
        var d = c.ToString().Normalize(NormalizationForm.FormD);
        var kept = d.Where(m => m is not ('\u0300' or '\u0301' or '\u0303' or '\u0309' or '\u0323'));
        var s = new string([.. kept]).Normalize(NormalizationForm.FormC);
        return s.Length == 1 ? s[0] : c;
    }

    /// <summary>The letter without any diacritic (đ stays: it has its own look-alike).</summary>
    static char Bare(char c)
    {
        if (c < 128 || c is 'đ' or 'Đ' || char.IsSurrogate(c)) return c;
        var d = c.ToString().Normalize(NormalizationForm.FormD);
        return d.Length > 0 && d[0] < 128 && char.IsLetter(d[0]) ? d[0] : c;
    }

    static string Spacing(string text, Random random, Func<double, bool> chance)
    {
        var result = new StringBuilder(text.Length + text.Length / 20);
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i])) { result.Append(text[i++]); continue; }
            // A token: letters and digits, with / or - between them (a document code such as 55-NQ/TU).
            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || (text[i] is '/' or '-' or ',' && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]) && i > start))) i++;
            var token = text[start..i];
            var breaks = new List<int>();
            var isCode = token.Any(char.IsDigit);
            if (isCode)
            {
                for (var k = 1; k < token.Length; k++)
                {
                    if ((char.IsDigit(token[k - 1]) && char.IsDigit(token[k])) || token[k] is '/' or '-' || token[k - 1] is '/' or '-') breaks.Add(k);
                }

                if (breaks.Count > 0 && chance(SpacedCodeRate)) token = token.Insert(breaks[random.Next(breaks.Count)], " ");
            }
            else if (token.Length >= 3 && token.All(char.IsLetter) && chance(BrokenWordRate))
            {
                token = token.Insert(1 + random.Next(token.Length - 1), " ");
            }

            result.Append(token);
        }

        return result.ToString();
    }
}
