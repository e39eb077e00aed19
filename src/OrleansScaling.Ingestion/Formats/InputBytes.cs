using System.Text;

namespace OrleansScaling.Ingestion.Formats;

/// <summary>Reads inputs whole (the formats are documents or small tables) with a size limit, and decodes UTF-8 strictly.</summary>
public static class InputBytes
{
    /// <summary>The largest input read: results files are kilobytes, leaderboard exports a few megabytes.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] ReadFile(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxBytes)
            throw new InvalidDataException($"the file is {length} bytes; at most {MaxBytes} are read");
        return File.ReadAllBytes(path);
    }

    public static byte[] ReadStream(Stream stream)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + n > MaxBytes)
                throw new InvalidDataException($"the input is over {MaxBytes} bytes");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    /// <summary>The first bytes of a file, for format detection.</summary>
    public static byte[] Head(string path, int count = 65536)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[count];
        var read = 0;
        int n;
        while (read < count && (n = stream.Read(buffer, read, count - read)) > 0)
            read += n;
        return buffer[..read];
    }

    /// <summary>
    /// Decodes UTF-8 text; each line holding bytes that are not UTF-8 is reported (1-based) and decoded with U+FFFD so
    /// the caller can reject exactly those lines and read the rest.
    /// </summary>
    public static string Decode(byte[] bytes, out IReadOnlyList<int> invalidLines)
    {
        var bad = new List<int>();
        invalidLines = bad;
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            var line = 1;
            var start = 0;
            for (var i = 0; i <= bytes.Length; i++)
            {
                if (i < bytes.Length && bytes[i] != (byte)'\n')
                    continue;
                try
                {
                    Strict.GetString(bytes, start, i - start);
                }
                catch (DecoderFallbackException)
                {
                    bad.Add(line);
                }
                line++;
                start = i + 1;
            }
            return Encoding.UTF8.GetString(bytes);
        }
    }

    /// <summary>A value shortened for a message, so a 10 MB string never ends up in an error.</summary>
    public static string Clip(string text, int max = 80)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= max ? oneLine : $"{oneLine[..max]}… ({text.Length} characters)";
    }
}
