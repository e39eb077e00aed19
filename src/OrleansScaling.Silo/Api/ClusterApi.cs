namespace OrleansScaling.Silo.Api;

/// <summary><c>GET /api/cluster</c>: which silos form the cluster, as this silo's membership view has them.</summary>
internal static class ClusterApi
{
    public static void MapClusterApi(this WebApplication app) =>
        app.MapGet("/api/cluster", (IClusterMembershipService membership, ILocalSiloDetails local, IConfiguration configuration) =>
        {
            var snapshot = membership.CurrentSnapshot;
            var silos = snapshot.Members.Values
                .Where(m => m.Status != SiloStatus.Dead)
                .OrderBy(m => m.SiloAddress.ToString(), StringComparer.Ordinal)
                .Select(m => new SiloDto(m.SiloAddress.ToString(), m.Name, m.Status.ToString(), m.SiloAddress.Equals(local.SiloAddress)))
                .ToList();
            return Results.Ok(new ClusterDto(configuration["Orleans:ServiceId"], configuration["Orleans:ClusterId"], snapshot.Version.Value, silos));
        })
        .WithName("GetCluster")
        .Produces<ClusterDto>();
}

internal sealed record ClusterDto(string? ServiceId, string? ClusterId, long MembershipVersion, IReadOnlyList<SiloDto> Silos);

internal sealed record SiloDto(string Address, string Name, string Status, bool Self);
