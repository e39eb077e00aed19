using System.Buffers;

namespace OrleansScaling.Silo.Api;

internal static class BodyReader
{
    /// <summary>The request body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            return null;
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(4096), cancellationToken);
            if (read == 0)
                return buffer.WrittenSpan.ToArray();
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
                return null;
        }
    }
}
