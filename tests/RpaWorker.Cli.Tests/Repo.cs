namespace RpaWorker.Cli.Tests;

/// <summary>Where the repository and the reference data are, seen from the test binaries, and what the tests that run
/// <c>rpa</c> against the mock EHR share.</summary>
internal static class Repo
{
    /// <summary>The repository root (the folder of RpaWorker.sln).</summary>
    public static string Root
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "RpaWorker.sln")))
            {
                dir = Path.GetDirectoryName(dir)!;
            }
            return dir;
        }
    }

    public static string ChartPlaybook => Path.Combine(Root, "playbooks", "mock-ehr", "chart.yaml");

    /// <summary>The Synthea bundles: RPA_SHARED_DATA/synthea-r4, else ../shared/data/synthea-r4 beside the clone.</summary>
    public static string Synthea => Environment.GetEnvironmentVariable("RPA_SHARED_DATA") is { Length: > 0 } shared
        ? Path.Combine(shared, "synthea-r4")
        : Path.Combine(Root, "..", "shared", "data", "synthea-r4");

    /// <summary>The mock EHR's login, as the environment variables the shipped playbooks' credentials read.</summary>
    public static readonly IReadOnlyDictionary<string, string> MockEhrCredentials = new Dictionary<string, string>
    {
        ["RPA_SECRET_MOCK_EHR_USERNAME"] = "clinician",
        ["RPA_SECRET_MOCK_EHR_PASSWORD"] = "Passw0rd!",
    };
}
