using System.Text;

namespace OrleansScaling.Ingestion;

/// <summary>
/// The one grammar of the ids clients name things by: models, families, benchmarks, metrics and runs. Ids are data,
/// never paths. An id is 1 to <see cref="MaxUtf8Bytes"/> bytes of UTF-8, has no control characters and no lone
/// surrogates, and, split at <c>/</c>, has no empty segment (no leading, trailing or doubled slash) and no <c>.</c>
/// or <c>..</c> segment, and does not contain the text <c>%2F</c> (URLs carry '/' as %2F). Anything else is allowed (spaces, <c>%</c>, <c>?</c>, <c>#</c>, <c>\</c>, any script) and
/// reads back exactly as sent.
/// <para>
/// Where an id becomes a storage name it goes through <see cref="ToStorageKey"/>, which is reversible and
/// collision-free: keys made only of <see cref="IsPlain">plain</see> characters are kept as they are (so data stored
/// before the encoding existed stays readable), every other key has each character outside <c>[A-Za-z0-9_-]</c>
/// percent-encoded as UTF-8. Plain keys never contain <c>%</c> and encoded keys always do, so the two ranges cannot
/// meet.
/// </para>
/// </summary>
public static class EntityId
{
    /// <summary>At most this many UTF-8 bytes: encoded (3 characters a byte at worst) it stays well inside Azure's 1,024-character blob names.</summary>
    public const int MaxUtf8Bytes = 256;

    /// <summary>Why <paramref name="id"/> is not a valid id, or null when it is.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id))
            return "must not be empty";
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (char.IsHighSurrogate(c) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
                return $"has a lone surrogate (U+{(int)c:X4}) at character {i + 1}; ids must be valid Unicode";
            if (char.IsControl(c))
                return "must not contain control characters";
        }
        var bytes = Encoding.UTF8.GetByteCount(id);
        if (bytes > MaxUtf8Bytes)
            return $"is {bytes} bytes of UTF-8 ({id.Length} characters long); at most {MaxUtf8Bytes} bytes are allowed";
        if (id.Contains("%2F", StringComparison.OrdinalIgnoreCase))
            return "must not contain the text '%2F' (URLs carry '/' as %2F, so the id could not be read back)";
        foreach (var segment in id.Split('/'))
        {
            if (segment.Length == 0)
                return "must not have an empty path segment (a leading, trailing or doubled '/')";
            if (segment is "." or "..")
                return $"must not have a '{segment}' path segment";
        }
        return null;
    }

    public static bool IsValid(string? id) => Problem(id) is null;

    /// <summary>The index of the first lone surrogate in <paramref name="text"/> (not valid Unicode), or -1.</summary>
    public static int LoneSurrogateAt(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i]))
                continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else
                return i;
        }
        return -1;
    }

    /// <summary>The storage form of a grain key: unchanged when plain, else percent-encoded (see the type's remarks).</summary>
    public static string ToStorageKey(string key) => IsPlain(key) ? key : Escape(key);

    /// <summary>The inverse of <see cref="ToStorageKey"/>.</summary>
    public static string FromStorageKey(string storageKey) =>
        storageKey.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(storageKey) : storageKey;

    /// <summary>
    /// A key that needs no encoding: ASCII letters and digits, space and <c>-_.~/+@:=,#()</c>, with no empty, <c>.</c> or
    /// <c>..</c> segment and not ending with a dot (Azure advises against blob names ending in '.').
    /// </summary>
    public static bool IsPlain(string key)
    {
        if (key.Length == 0 || key.EndsWith('.'))
            return false;
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || " -_.~/+@:=,#()".Contains(c, StringComparison.Ordinal)))
                return false;
        }
        foreach (var segment in key.Split('/'))
        {
            if (segment is "" or "." or "..")
                return false;
        }
        return true;
    }

    private static string Escape(string key)
    {
        var builder = new StringBuilder(key.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                builder.Append(c);
                continue;
            }
            // Lone surrogates cannot be UTF-8; they become U+FFFD's bytes, which is lossy but only for keys the id
            // grammar refuses anyway (grain keys the API never makes).
            var length = char.IsHighSurrogate(c) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1])
                ? Encoding.UTF8.GetBytes(key.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(key.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length])
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
