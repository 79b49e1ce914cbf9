using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Import;

/// <summary>Maps a folder of FHIR R4 bundles (Synthea output or similar) into the legacy data model.</summary>
public static class FhirBundleImporter
{
    /// <summary>Imports every *.json bundle in <paramref name="folder"/>; a bad file is reported and skipped.</summary>
    public static ImportReport ImportFolder(string folder, LegacyStore store, CancellationToken cancellationToken = default)
        => throw new NotImplementedException("placeholder: being written");
}
