using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;

namespace OrleansScaling.Integration.Tests;

[Collection(ClusterCollection.Name)]
public sealed class IngestTelemetryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Ingested_duplicate_and_rejected_evaluations_are_counted_on_the_OrleansScaling_meter()
    {
        var counts = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "OrleansScaling")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var reason = tags.ToArray().FirstOrDefault(t => t.Key == "reason").Value as string;
            counts.AddOrUpdate(reason is null ? instrument.Name : $"{instrument.Name}:{reason}", value, (_, v) => v + value);
        });
        listener.Start();

        var evaluation = Json.Evaluation(Json.UniqueModelId());
        using var client = fixture.Cluster.Client();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/evaluations", Json.Body(evaluation))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/evaluations", Json.Body(evaluation))).StatusCode);
        evaluation["score"] = 2.0;
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/evaluations", Json.Body(evaluation))).StatusCode);

        Assert.Equal(1, counts.GetValueOrDefault("osl.evaluations.ingested"));
        Assert.Equal(1, counts.GetValueOrDefault("osl.evaluations.duplicates"));
        Assert.Equal(1, counts.GetValueOrDefault("osl.evaluations.rejected:invalid"));
    }
}
