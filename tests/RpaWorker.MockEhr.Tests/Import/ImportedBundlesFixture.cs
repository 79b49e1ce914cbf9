using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Export;
using RpaWorker.MockEhr.Import;

namespace RpaWorker.MockEhr.Tests.Import;

/// <summary>One import of the Synthea bundles (and one export of it), shared by the import and export tests.</summary>
public sealed class ImportedBundlesFixture : IDisposable
{
    private readonly Lazy<string> _exportDir;

    public ImportedBundlesFixture()
    {
        if (!Directory.Exists(RepoPaths.Synthea))
        {
            throw new DirectoryNotFoundException($"Synthea bundles not found at {RepoPaths.Synthea}");
        }
        Store = LegacyStore.InMemory();
        Report = FhirBundleImporter.ImportFolder(RepoPaths.Synthea, Store);
        _exportDir = new Lazy<string>(() =>
        {
            var dir = Path.Combine(Path.GetTempPath(), "mockehr-export-" + Guid.NewGuid().ToString("N"));
            ExportCounts = GroundTruthExporter.Export(Store, dir);
            return dir;
        });
    }

    public LegacyStore Store { get; }

    public ImportReport Report { get; }

    /// <summary>The folder the store was exported to (exported on first use).</summary>
    public string ExportDir => _exportDir.Value;

    public IReadOnlyDictionary<string, int> ExportCounts { get; private set; } = new Dictionary<string, int>();

    public void Dispose()
    {
        Store.Dispose();
        if (_exportDir.IsValueCreated)
        {
            Directory.Delete(_exportDir.Value, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ImportedBundlesCollection : ICollectionFixture<ImportedBundlesFixture>
{
    public const string Name = "Synthea import";
}
