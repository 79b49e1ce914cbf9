namespace RpaWorker.MockEhr.Tests;

/// <summary>Locates the repository and the shared reference data next to it.</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding RpaWorker.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The shared reference data (../shared/data from the repository root), or the folder named by
    /// RPA_SHARED_DATA. Tests that need it fail, not skip, when it is missing.
    /// </summary>
    public static string SharedData
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("RPA_SHARED_DATA") is { Length: > 0 } env
                ? env
                : Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));
            if (!Directory.Exists(dir))
            {
                throw new DirectoryNotFoundException($"Shared reference data not found at {dir}; set RPA_SHARED_DATA.");
            }
            return dir;
        }
    }

    /// <summary>The Synthea FHIR R4 bundles.</summary>
    public static string Synthea => Path.Combine(SharedData, "synthea-r4");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RpaWorker.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("RpaWorker.sln not found above " + AppContext.BaseDirectory);
    }
}
