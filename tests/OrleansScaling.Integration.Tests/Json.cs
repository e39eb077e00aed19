using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansScaling.Integration.Tests;

internal static class Json
{
    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Body(object value) => Body(JsonSerializer.Serialize(value));

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonNode>())!;

    /// <summary>A valid evaluation of a model with a slash in its id; tests change one field at a time.</summary>
    public static Dictionary<string, object?> Evaluation(string modelId, string runId = "run-1", double score = 0.146) => new()
    {
        ["modelId"] = modelId,
        ["family"] = "Llama-2",
        ["parameters"] = 6.74e9,
        ["tokens"] = 2e12,
        ["benchmark"] = "gsm8k",
        ["metric"] = "exact_match",
        ["score"] = score,
        ["stderr"] = 0.0097,
        ["samples"] = 1319,
        ["source"] = "lm-evaluation-harness",
        ["runId"] = runId,
        ["timestamp"] = "2026-11-25T12:00:00Z",
    };

    public static string UniqueModelId(string name = "Llama-2-7b-hf") => $"meta-llama-{Guid.NewGuid().ToString("N")[..6]}/{name}";
}
