using System.CommandLine;
using OrleansScaling.Cli.Output;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Selection;

namespace OrleansScaling.Cli.Commands;

internal static class SelectCommand
{
    public static Command Create(TextWriter stdout)
    {
        var common = new CommonOptions();
        var budgets = new Option<string>("--budgets") { Description = "Model budgets, comma separated", DefaultValueFactory = _ => "4,8,12,16,20" };
        var cutoff = new Option<double?>("--cutoff-flops") { Description = "Select only among models with compute ≤ X (1e21 FLOPs)" };
        var maxSize = new Option<double?>("--max-size-b") { Description = "Select only among models of at most X billion parameters" };
        var force = new Option<string[]>("--force-family") { Description = "Families included in every subset", AllowMultipleArgumentsPerToken = true };
        var maxFamilies = new Option<int>("--max-families") { Description = "Largest number of families in a subset", DefaultValueFactory = _ => 10 };
        var keepMissing = new Option<bool>("--keep-missing") { Description = "Keep models with a missing benchmark (imputed) in the pool" };
        var random = new Option<int>("--random") { Description = "Random family subsets per budget, as a baseline", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the random baseline", DefaultValueFactory = _ => 0 };
        var command = new Command("select", "Choose which model families to evaluate: V-optimal design over whole families");
        common.AddScoreOptions(command);
        foreach (var o in new Option[] { budgets, cutoff, maxSize, force, maxFamilies, keepMissing, random, seed })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var scores = common.LoadScores(parse);
            var budgetList = CommonOptions.Split([parse.GetRequiredValue(budgets)]).Select(b =>
                int.TryParse(b, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new UsageException($"--budgets: '{b}' is not a positive integer")).ToArray();
            var pool = SelectionPool.Build(scores, parse.GetValue(cutoff), !parse.GetValue(keepMissing), parse.GetValue(common.Pcs), parse.GetValue(maxSize));
            var options = new SelectionOptions
            {
                MaxFamilies = parse.GetValue(maxFamilies),
                ForcedFamilies = CommonOptions.Split(parse.GetValue(force)),
                RandomSamples = parse.GetValue(random),
                Seed = parse.GetValue(seed),
            };
            var search = VOptimalSelector.Search(pool.Models, pool.Capabilities, budgetList, options, ObsScalingCatalog.MainFamilies);
            if (parse.GetValue(common.AsJson))
            {
                Json.Write(stdout, search);
                return 0;
            }
            stdout.WriteLine($"pool: {search.PoolModels} models in {search.PoolFamilies.Count} families; {search.CombinationsSearched} family subsets searched");
            var t = new Table("budget", "models", "objective", "families", "random objectives");
            foreach (var b in search.Budgets)
                t.Add(b.Budget, b.Best.ModelCount, b.Best.Objective, string.Join(", ", b.Best.Families), string.Join(" ", b.Random.Select(r => Table.Number(r.Objective))));
            t.Write(stdout);
            return 0;
        });
        return command;
    }
}
