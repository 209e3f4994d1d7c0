using System.Text;

namespace Antq.Architecture.Tests;

/// <summary>A string literal of a source file: its text (escapes left as written) and the line it starts on.</summary>
public sealed record Literal(string Text, int Line);

/// <summary>
/// One C# source file read as the rules need it: the code with comments blanked out (so that a doc comment naming
/// "Asia/Ho_Chi_Minh" is no second definition) and its string literals. A small lexer, not a compiler: it knows line
/// and block comments, regular, verbatim, raw and interpolated strings and character literals, which is all the rules
/// look at; line numbers are kept (comments become spaces, line breaks stay).
/// </summary>
public sealed class SourceFile
{
    public SourceFile(string root, string path, string text)
    {
        Path = System.IO.Path.GetRelativePath(root, path).Replace('\\', '/');
        var code = new StringBuilder(text.Length);
        var literals = new List<Literal>();
        var line = 1;
        var i = 0;
        void Keep(char c)
        {
            code.Append(c);
            if (c == '\n') line++;
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n') { code.Append(' '); i++; }
                continue;
            }

            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + 2;
                for (; i < end; i++) Keep(text[i] == '\n' ? '\n' : ' ');
                continue;
            }

            if (c == '\'' )
            {
                // A character literal: '\'' or 'x' or '\n'.
                var end = i + 1;
                while (end < text.Length && text[end] != '\'') end += text[end] == '\\' ? 2 : 1;
                for (; i <= end && i < text.Length; i++) Keep(text[i]);
                continue;
            }

            if (c is '"' or '$' or '@' && StringStart(text, i) is { } start)
            {
                var (prefix, quotes, verbatim) = start;
                var contentStart = i + prefix + quotes;
                var startLine = line;
                int contentEnd, end;
                if (quotes >= 3)
                {
                    var closing = new string('"', quotes);
                    contentEnd = text.IndexOf(closing, contentStart, StringComparison.Ordinal);
                    if (contentEnd < 0) contentEnd = text.Length;
                    end = Math.Min(text.Length, contentEnd + quotes);
                }
                else
                {
                    contentEnd = contentStart;
                    while (contentEnd < text.Length)
                    {
                        if (verbatim && text[contentEnd] == '"' && contentEnd + 1 < text.Length && text[contentEnd + 1] == '"') { contentEnd += 2; continue; }
                        if (!verbatim && text[contentEnd] == '\\') { contentEnd += 2; continue; }
                        if (text[contentEnd] == '"' || (!verbatim && text[contentEnd] == '\n')) break;
                        contentEnd++;
                    }

                    end = Math.Min(text.Length, contentEnd + 1);
                }

                literals.Add(new Literal(text[contentStart..Math.Min(contentEnd, text.Length)], startLine));
                for (; i < end; i++) Keep(text[i]);
                continue;
            }

            Keep(c);
            i++;
        }

        Code = code.ToString();
        Literals = literals;
    }

    /// <summary>The path from the repository's root, with '/'.</summary>
    public string Path { get; }

    /// <summary>The text with comments blanked out; strings kept.</summary>
    public string Code { get; }

    public IReadOnlyList<Literal> Literals { get; }

    /// <summary>The line of a position in <see cref="Code"/>.</summary>
    public int LineOf(int index) => Code.AsSpan(0, index).Count('\n') + 1;

    /// <summary>Whether a string begins here: its prefix's length ($, @, $@…), its opening quotes, and whether it is verbatim.</summary>
    static (int Prefix, int Quotes, bool Verbatim)? StringStart(string text, int i)
    {
        var prefix = 0;
        var verbatim = false;
        while (i + prefix < text.Length && text[i + prefix] is '$' or '@')
        {
            verbatim |= text[i + prefix] == '@';
            prefix++;
        }

        if (i + prefix >= text.Length || text[i + prefix] != '"') return null;
        if (prefix > 0 && i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] == '_')) return null;
        var quotes = 0;
        while (i + prefix + quotes < text.Length && text[i + prefix + quotes] == '"') quotes++;
        // "" is an empty string, not the start of a raw one.
        if (quotes == 2) quotes = 1;
        return (prefix, quotes, verbatim);
    }
}
