namespace RpaWorker.Host.Tests.FhirApi.Support;

/// <summary>The shared reference data next to the repository (or where RPA_SHARED_DATA says); tests fail, not skip, without it.</summary>
internal static class TestData
{
    public static string Synthea
    {
        get
        {
            var shared = Environment.GetEnvironmentVariable("RPA_SHARED_DATA") is { Length: > 0 } env
                ? env
                : Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "data"));
            var folder = Path.Combine(shared, "synthea-r4");
            return Directory.Exists(folder)
                ? folder
                : throw new DirectoryNotFoundException($"Synthea bundles not found at {folder}; set RPA_SHARED_DATA.");
        }
    }

    private static string RepositoryRoot()
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
