using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using OrleansScaling.Silo.Hosting;

namespace OrleansScaling.Integration.Tests;

/// <summary>Hostile input on the shared (open) cluster: ids are data, not paths; bad text and bad media types are refused by name.</summary>
[Collection(ClusterCollection.Name)]
public sealed class HostileInputTests(ClusterFixture fixture)
{
    private readonly TestCluster _cluster = fixture.Cluster;

    [Theory]
    [InlineData("evil/../victim", "'..' path segment")]
    [InlineData("../../etc/passwd", "'..' path segment")]
    [InlineData("a/./b", "'.' path segment")]
    [InlineData("/leading", "empty path segment")]
    [InlineData("trailing/", "empty path segment")]
    [InlineData("a//b", "empty path segment")]
    [InlineData("a%2Fb", "'%2F'")]
    public async Task A_path_like_model_id_is_refused_by_name(string id, string reason)
    {
        using var client = _cluster.Client();
        var response = await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(id)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("modelId", text, StringComparison.Ordinal);
        Assert.Contains(reason, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_id_that_escapes_is_not_allowed_to_overwrite_another()
    {
        var victim = "victim-" + Guid.NewGuid().ToString("N")[..8];
        using var client = _cluster.Client();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(victim, "r1", 0.1)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation($"evil/../{victim}", "r2", 0.9)))).StatusCode);
        var model = await Json.ReadAsync(await client.GetAsync($"/api/models/{victim}"));
        Assert.Single(model["evaluations"]!.AsArray());
    }

    [Theory]
    [InlineData("/api/models/..%2F..%2Fx")]
    [InlineData("/api/models/a%2F..%2Fb")]
    [InlineData("/api/families/..%2Fx")]
    [InlineData("/api/forecasts/model?id=..%2F..%2Fx")]
    public async Task A_path_like_id_in_a_url_is_400_not_500(string url)
    {
        using var client = _cluster.Client();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("odd id with spaces & ? # % \\ \"quotes\"")]
    [InlineData("ünïcödé/模型-7B")]
    [InlineData("org/model%41-%2-percent")]
    [InlineData("emoji-🦙/x.")]
    public async Task Every_accepted_id_reads_back_by_the_id_sent(string suffix)
    {
        var id = Json.UniqueModelId() + "-" + suffix;
        using var client = _cluster.Client();
        var created = await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(id)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // Percent-encoded, slashes kept as slashes and as %2F.
        foreach (var path in new[]
                 {
                     string.Join('/', id.Split('/').Select(Uri.EscapeDataString)),
                     Uri.EscapeDataString(id),
                 })
        {
            var response = await client.GetAsync("/api/models/" + path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var model = await Json.ReadAsync(response);
            Assert.Equal(id, (string?)model["modelId"] ?? (string?)model["id"]);
        }
    }

    [Fact]
    public async Task Invalid_utf8_in_the_body_is_400_naming_the_body()
    {
        using var client = _cluster.Client();
        var bytes = Encoding.UTF8.GetBytes("{\"modelId\": \"x-").Concat(new byte[] { 0xC3, 0x28 })
            .Concat(Encoding.UTF8.GetBytes("\", \"benchmark\": \"gsm8k\", \"metric\": \"acc\", \"score\": 0.5}")).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await client.PostAsync("/api/evaluations", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/evaluations", """{"modelId": "x-\uD800", "benchmark": "gsm8k", "metric": "acc", "score": 0.5}""", "modelId")]
    [InlineData("/api/evaluations", """{"modelId": "x", "\uDC00bad": 1, "benchmark": "gsm8k", "metric": "acc", "score": 0.5}""", "\\uDC00bad")]
    [InlineData("/api/forecasts/hypothetical", """{"family": "Llama-2\uD800", "parameters": 7e9, "tokens": 2e12}""", "family")]
    [InlineData("/api/forecasts/from-scores", """{"scores": [{"benchmark": "a", "metric": "\uDBFF", "score": 0.5}]}""", "scores[0].metric")]
    public async Task A_lone_surrogate_in_any_string_or_property_name_is_400_naming_it(string url, string escapedJson, string field)
    {
        // The C# raw string keeps \uD800 as six characters, the JSON escape of a lone surrogate.
        using var client = _cluster.Client();
        var response = await client.PostAsync(url, Json.Body(escapedJson));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains(field, text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_case_variant_duplicate_key_is_400_naming_both_lines()
    {
        using var client = _cluster.Client();
        var body = "{\"modelId\": \"" + Json.UniqueModelId() + "\", \"benchmark\": \"gsm8k\", \"metric\": \"acc\",\n\"score\": 0.1,\n\"Score\": 0.9}";
        var response = await client.PostAsync("/api/evaluations", Json.Body(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'score' (line 2) and 'Score' (line 3)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_without_content_type_is_415()
    {
        using var client = _cluster.Client();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(Json.Evaluation(Json.UniqueModelId()))));
        var response = await client.PostAsync("/api/evaluations", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_json_body_of_a_bound_endpoint_is_400_not_500()
    {
        using var client = _cluster.Client();
        var response = await client.PostAsync("/api/forecasts/hypothetical", Json.Body("""{"family": "Llama-2", "parameters": "lots"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_is_closed_by_default()
    {
        using var client = _cluster.Client();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/evaluations");
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        var response = await client.SendAsync(request);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

/// <summary>API keys and scopes, on a cluster of its own that has keys configured.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AccessControlTests(ClusterFixture fixture) : IAsyncLifetime
{
    private const string Reader = "reader-key-0123456789abcdef";
    private const string Writer = "writer-key-0123456789abcdef";
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(fixture.ConnectionString, silos: 1, settings: new Dictionary<string, string?>
    {
        ["Auth:AllowAnonymous"] = "false",
        ["Auth:Keys:0:Key"] = Reader,
        ["Auth:Keys:0:Scopes"] = "read",
        ["Auth:Keys:1:Key"] = Writer,
        ["Auth:Keys:1:Scopes:0"] = "read",
        ["Auth:Keys:1:Scopes:1"] = "write",
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Keys_and_scopes_are_enforced_and_health_stays_open()
    {
        using var client = _cluster.Client();
        var id = Json.UniqueModelId();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var anonymous = await client.GetAsync($"/api/models/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Bearer", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, HttpMethod.Get, $"/api/models/{id}", bearer: "wrong-key-0123456789abcdef")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await Send(client, HttpMethod.Post, "/api/evaluations", bearer: Reader, body: Json.Evaluation(id))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Send(client, HttpMethod.Post, "/api/evaluations", bearer: Writer, body: Json.Evaluation(id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, HttpMethod.Get, $"/api/models/{id}", bearer: Reader)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, HttpMethod.Get, $"/api/models/{id}", apiKey: Reader)).StatusCode);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, string? bearer = null, string? apiKey = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (bearer is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (apiKey is not null)
            request.Headers.Add("X-Api-Key", apiKey);
        if (body is not null)
            request.Content = Json.Body(body);
        return await client.SendAsync(request);
    }
}

/// <summary>What the host refuses at start: running open on production storage, and ports another host holds.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StartupRefusalTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_production_host_without_keys_refuses_to_start_open()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloHost.BuildAsync([], b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["ConnectionStrings:storage"] = fixture.ConnectionString })));
        Assert.Contains("Refusing to start open", e.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:AllowAnonymous", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_host_on_taken_silo_ports_is_refused_with_a_clear_message()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen(1);
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloHost.BuildAsync([], b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:storage"] = fixture.ConnectionString,
                ["Auth:AllowAnonymous"] = "true",
                ["Orleans:Endpoints:SiloPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Orleans:Endpoints:GatewayPort"] = "0",
            })));
        Assert.Contains("already in use", e.Message, StringComparison.Ordinal);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }
}
