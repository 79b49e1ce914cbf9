using System.Globalization;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Generate;
using RpaWorker.MockEhr.Import;

namespace RpaWorker.MockEhr;

/// <summary>Where the mock EHR's records come from: <c>generated:N[:seed]</c> or a folder of FHIR R4 bundles.</summary>
public sealed record MockEhrDataSpec
{
    /// <summary>Default number of generated patients.</summary>
    public const int DefaultGeneratedCount = 25;

    /// <summary>Default generator seed.</summary>
    public const int DefaultSeed = 1;

    private MockEhrDataSpec() { }

    /// <summary>Number of patients to generate, or null for a bundle folder.</summary>
    public int? GeneratedCount { get; private init; }

    /// <summary>Generator seed.</summary>
    public int Seed { get; private init; } = DefaultSeed;

    /// <summary>Folder of FHIR R4 bundles, or null for generated data.</summary>
    public string? BundleFolder { get; private init; }

    /// <summary>
    /// Parses a data source: <c>generated</c>, <c>generated:N</c>, <c>generated:N:seed</c>, or a folder path.
    /// Returns null and an error message when it is not one of those.
    /// </summary>
    public static MockEhrDataSpec? TryParse(string text, out string? error)
    {
        error = null;
        if (text.StartsWith("generated", StringComparison.OrdinalIgnoreCase))
        {
            var parts = text.Split(':');
            var count = DefaultGeneratedCount;
            var seed = DefaultSeed;
            if (!string.Equals(parts[0], "generated", StringComparison.OrdinalIgnoreCase) || parts.Length > 3 ||
                (parts.Length > 1 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1)) ||
                (parts.Length > 2 && !int.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed)))
            {
                error = $"'{text}' is not a data source: expected generated:N[:seed] with N a positive whole number, e.g. generated:25:7";
                return null;
            }
            return new MockEhrDataSpec { GeneratedCount = count, Seed = seed };
        }
        if (!Directory.Exists(text))
        {
            error = $"data folder '{text}' does not exist (expected a folder of FHIR R4 bundles, or generated:N[:seed])";
            return null;
        }
        return new MockEhrDataSpec { BundleFolder = Path.GetFullPath(text) };
    }

    /// <summary>Fills <paramref name="store"/>; returns the import report for a bundle folder, else null.</summary>
    public ImportReport? LoadInto(LegacyStore store, CancellationToken cancellationToken = default)
    {
        if (BundleFolder is not null)
        {
            return FhirBundleImporter.ImportFolder(BundleFolder, store, cancellationToken);
        }
        foreach (var chart in ChartGenerator.Generate(GeneratedCount!.Value, Seed))
        {
            cancellationToken.ThrowIfCancellationRequested();
            store.AddChart(chart);
        }
        return null;
    }

    /// <inheritdoc />
    public override string ToString() =>
        BundleFolder ?? $"generated:{GeneratedCount}:{Seed}";
}
