namespace RpaWorker.Cli.Tests;

/// <summary>Where the repository and the reference data are, seen from the test binaries.</summary>
internal static class Repo
{
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
}
