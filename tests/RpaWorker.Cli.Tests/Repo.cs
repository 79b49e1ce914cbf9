namespace RpaWorker.Cli.Tests;

/// <summary>Where the repository is, and what the tests that run <c>rpa</c> against the mock EHR share.</summary>
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

    /// <summary>The mock EHR's login, as the environment variables the shipped playbooks' credentials read.</summary>
    public static readonly IReadOnlyDictionary<string, string> MockEhrCredentials = new Dictionary<string, string>
    {
        ["RPA_SECRET_MOCK_EHR_USERNAME"] = "clinician",
        ["RPA_SECRET_MOCK_EHR_PASSWORD"] = "Passw0rd!",
    };
}
