using RpaWorker.Publishing;

namespace RpaWorker.Host.Extraction;

/// <summary>Finds the US Core package without it being part of the product's files.</summary>
public static class UsCorePackage
{
    private const string FileName = "hl7.fhir.us.core-6.1.0.tgz";

    /// <summary>The package file: <paramref name="given"/> when set, else the first that exists of RPA_US_CORE_PACKAGE, the FHIR package cache, and ../shared/data/us-core beside a clone.</summary>
    public static string? Find(string? given)
    {
        if (given is not null)
        {
            return File.Exists(given) ? given : null;
        }
        var candidates = new List<string?>
        {
            Environment.GetEnvironmentVariable("RPA_US_CORE_PACKAGE"),
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fhir", "packages", FileName),
        };
        // From a clone, the reference data sits beside the repository.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RpaWorker.sln")))
            {
                candidates.Add(Path.Combine(dir.FullName, "..", "shared", "data", "us-core", FileName));
                break;
            }
        }
        candidates.Add(Path.Combine(Directory.GetCurrentDirectory(), "..", "shared", "data", "us-core", FileName));
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c)) is { } found ? Path.GetFullPath(found) : null;
    }
}

/// <summary>Builds the sinks a run publishes to.</summary>
public static class SinkSpecs
{
    /// <summary>
    /// NDJSON into <paramref name="outDirectory"/> plus one sink per spec (sqlite:&lt;file&gt;, fhir:&lt;base url&gt;,
    /// ndjson:&lt;folder&gt;); null after printing the error when a spec is not one of those.
    /// </summary>
    public static IResourceSink? Create(string outDirectory, IReadOnlyList<string> extra, TextWriter? errors = null)
    {
        var sinks = new List<IResourceSink> { new NdjsonSink(outDirectory) };
        foreach (var spec in extra)
        {
            var colon = spec.IndexOf(':');
            var (kind, target) = colon > 0 ? (spec[..colon], spec[(colon + 1)..]) : (spec, "");
            switch (kind)
            {
                case "sqlite" when target.Length > 0:
                    sinks.Add(new SqliteSink(Path.GetFullPath(target)));
                    break;
                case "fhir" when Uri.TryCreate(target, UriKind.Absolute, out var url):
                    sinks.Add(new FhirServerSink(url, new HttpClient(), new FhirServerSinkOptions(), TimeProvider.System));
                    break;
                case "ndjson" when target.Length > 0:
                    sinks.Add(new NdjsonSink(Path.GetFullPath(target)));
                    break;
                default:
                    (errors ?? Console.Error).WriteLine($"error: --sink '{spec}' is not sqlite:<file>, fhir:<base url> or ndjson:<folder>");
                    return null;
            }
        }
        return sinks.Count == 1 ? sinks[0] : new CompositeSink([.. sinks]);
    }
}
