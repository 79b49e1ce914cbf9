namespace RpaWorker.Fhir.Tests;

/// <summary>Where the shared US Core package is, and small helpers to write assignments.</summary>
internal static class TestData
{
    private const string PackageFile = "hl7.fhir.us.core-6.1.0.tgz";

    private static readonly Lazy<UsCoreValidator> SharedValidator = new(() => new UsCoreValidator(UsCorePackagePath));

    /// <summary>The one validator the tests share, as the worker shares one per process.</summary>
    public static UsCoreValidator Validator => SharedValidator.Value;

    /// <summary>
    /// <c>$RPA_SHARED_DATA/us-core/…</c> when set, else <c>../shared/data/us-core/…</c> from the repository root.
    /// Missing is a broken environment: the tests fail rather than skip.
    /// </summary>
    public static string UsCorePackagePath
    {
        get
        {
            var shared = Environment.GetEnvironmentVariable("RPA_SHARED_DATA");
            var path = !string.IsNullOrEmpty(shared)
                ? Path.Combine(shared, "us-core", PackageFile)
                : Path.Combine(RepositoryRoot(), "..", "shared", "data", "us-core", PackageFile);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"The US Core package is missing at {Path.GetFullPath(path)} (set RPA_SHARED_DATA to the shared data folder).");
            }

            return Path.GetFullPath(path);
        }
    }

    public static IReadOnlyList<KeyValuePair<string, string>> Assign(params (string Path, string Value)[] assignments) =>
        assignments.Select(a => KeyValuePair.Create(a.Path, a.Value)).ToList();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RpaWorker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RpaWorker.sln was not found above the test binaries.");
    }
}
