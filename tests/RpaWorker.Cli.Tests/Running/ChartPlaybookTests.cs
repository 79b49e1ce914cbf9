using Microsoft.Extensions.Time.Testing;
using RpaWorker.Engine.Running;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Generate;
using RpaWorker.Playbooks;

namespace RpaWorker.Cli.Tests.Running;

/// <summary>The shipped chart playbook, in a real browser, against the mock EHR: what it publishes must be what the screens show.</summary>
public sealed class ChartPlaybookTests(ChartPlaybookFixture fixture) : IClassFixture<ChartPlaybookFixture>
{
    private static LegacyStore Generated(int count, int seed = 1, int skip = 0)
    {
        var store = LegacyStore.InMemory();
        foreach (var chart in ChartGenerator.Generate(count, seed).Skip(skip))
        {
            store.AddChart(chart);
        }
        return store;
    }

    [Fact]
    public async Task Chart_AwkwardGeneratedPatients_PublishesExactlyWhatTheScreensShowAsValidUsCore()
    {
        // The first patients of a generation hold the awkward cases: apostrophes, hyphens, non-ASCII names, missing and
        // partial dates, 600-character and HTML-looking text, two SMITH, JOHN, unsigned-notes popups, a deceased patient.
        using var store = Generated(GeneratorCases.FirstOrdinaryIndex);
        store.AddChart(ChartGenerator.Generate(GeneratorCases.FirstOrdinaryIndex + 1, 1).Last());

        using var run = await fixture.RunAsync(store, new MockEhrOptions());

        Assert.True(run.Result.Failed == 0 && run.Result.Failure is null, run.Failures);
        Assert.Equal(GeneratorCases.FirstOrdinaryIndex + 1, run.Result.Succeeded);
        // The mock lists some medications with no prescriber; US Core requires one on an order (us-core-21), so
        // exactly those are quarantined, with that reason, rather than published half-right.
        var withoutPrescriber = run.Truth("MedicationRequest").Count(m => !m.TryGetProperty("requester", out _));
        Assert.Equal(withoutPrescriber, run.Pipeline.QuarantinedTotal);
        Assert.All(File.Exists(run.Pipeline.QuarantineFile) ? File.ReadAllLines(run.Pipeline.QuarantineFile) : [], q => Assert.Contains("us-core-21", q));
        var differences = Fidelity.Differences(run, Fidelity.Publishable);
        Assert.True(differences.Count == 0, $"{differences.Count} differences:\n" + string.Join("\n",
            differences.GroupBy(d => d.Contains(": field ", StringComparison.Ordinal) ? d[..d.IndexOf(' ')] + d[d.IndexOf(": field ", StringComparison.Ordinal)..] : d)
                .Select(g => $"{g.Count()} x {g.Key}").Take(20)));
        Assert.Contains(run.Result.Items, i => i.HandlerRuns.GetValueOrDefault("popup") > 0);
        Assert.All(run.Output("Patient"), p => Assert.Contains("us-core-patient", p.GetProperty("meta").GetProperty("profile")[0].GetString()));
        Assert.Equal(run.Result.Succeeded, run.Output("Provenance").Count);
    }

    [Fact]
    public async Task Chart_SessionExpiresHalfWayThroughAChart_LogsInAgainAndFinishesThatPatient()
    {
        using var store = Generated(2, seed: 3, skip: 0);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var options = new MockEhrOptions { IdleTimeout = TimeSpan.FromMinutes(15) };
        var expired = false;

        // Once the first chart's medications are read, the user "walks away": the next page finds the session expired.
        using var run = await fixture.RunAsync(store, options, clock, onStep: id =>
        {
            if (!expired && id == "flows.read_chart[4].extract_table")
            {
                expired = true;
                clock.Advance(TimeSpan.FromMinutes(20));
            }
        });

        Assert.True(expired);
        Assert.True(run.Result.Failed == 0 && run.Result.Failure is null, run.Failures);
        Assert.Equal(1, run.Result.Items[0].HandlerRuns.GetValueOrDefault("session_expired"));
        var differences = Fidelity.Differences(run, Fidelity.Publishable);
        Assert.True(differences.Count == 0, string.Join("\n", differences) + "\n" + run.Failures);
    }

    [Fact]
    public async Task Chart_ServerErrorsAndSlowPages_RetriesAndStillReadsEverything()
    {
        using var store = Generated(2, seed: 11, skip: 0);
        var options = new MockEhrOptions { ErrorRate = 0.1, FaultSeed = 7, Latency = TimeSpan.FromMilliseconds(30), LatencyJitter = TimeSpan.FromMilliseconds(60) };

        using var run = await fixture.RunAsync(store, options);

        Assert.True(run.Result.Failed == 0 && run.Result.Failure is null, run.Failures);
        Assert.Empty(Fidelity.Differences(run, Fidelity.Publishable));
    }

    [Fact]
    public async Task Chart_V1PlaybookOnTheV2Skin_FailsWithTargetNotFoundNamingStepAndTarget()
    {
        using var store = Generated(1, seed: 5);

        using var run = await fixture.RunAsync(store, new MockEhrOptions { Skin = MockEhrSkin.V2 });

        var failure = run.Result.Failure ?? run.Result.Items.FirstOrDefault(i => i.Status == WorkItemStatus.Failed)?.Failure;
        Assert.NotNull(failure);
        Assert.True(failure.Reason!.Contains("not found", StringComparison.OrdinalIgnoreCase) || failure.Reason.Contains("nothing matched", StringComparison.OrdinalIgnoreCase), failure.ToString());
        Assert.Matches(@"^(flows|steps)[.\[]", failure.StepId ?? "");
        Assert.Contains("chart.yaml:", failure.ToString());
        Assert.Empty(run.Output("Condition"));
    }

    [Fact]
    public async Task Chart_BannerShowsAnotherPatient_PublishesNothingForThatPatient()
    {
        // A playbook that opens the right chart but checks the banner against the wrong MRN, as a mix-up would.
        var text = File.ReadAllText(fixture.Chart.Location.File).Replace("- set: { current_mrn: \"{{ p.mrn }}\" }", "- set: { current_mrn: \"0000000\" }", StringComparison.Ordinal);
        // Beside the shipped playbook, so that its imports resolve as they do for it.
        var playbook = PlaybookLoader.LoadText(Path.Combine(Path.GetDirectoryName(fixture.Chart.Location.File)!, "wrong-banner.yaml"), text);
        Assert.True(playbook.Ok, string.Join("\n", playbook.Errors));
        using var store = Generated(1, seed: 9);

        using var run = await fixture.RunAsync(store, new MockEhrOptions(), playbook: playbook.Playbook);

        var item = Assert.Single(run.Result.Items);
        Assert.Equal(WorkItemStatus.Failed, item.Status);
        Assert.Contains("wrong-patient guard", item.Failure!.Reason);
        Assert.Empty(run.Output("Patient"));
        Assert.Empty(run.Output("Observation"));
    }
}
