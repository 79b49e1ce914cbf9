using System.Text.Json;
using RpaWorker.Cli.Running;

namespace RpaWorker.Cli.Tests.Running;

/// <summary>The product's fidelity score, applied to a test run.</summary>
internal static class Fidelity
{
    /// <summary>
    /// The truth a run can publish: the mock lists some medications with no prescriber, and US Core requires one on
    /// an order (us-core-21), so those are quarantined by design.
    /// </summary>
    public static bool Publishable(JsonElement truth) =>
        truth.GetProperty("resourceType").GetString() != "MedicationRequest" || truth.TryGetProperty("requester", out _);

    /// <summary>Every difference between the run's output and the ground truth; empty when they agree.</summary>
    public static IReadOnlyList<string> Differences(ChartRun run, Func<JsonElement, bool>? truthFilter = null) =>
        FidelityScore.Compare(Path.Combine(run.Directory, "truth"), Path.Combine(run.Directory, "fhir"), truthFilter).Differences;
}
