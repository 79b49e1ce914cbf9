using System.Formats.Tar;
using System.IO.Compression;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace RpaWorker.Fhir;

/// <summary>Reads the conformance resources of a FHIR NPM package (.tgz) into memory.</summary>
internal static class ConformancePackage
{
    private static readonly string[] Kinds = ["StructureDefinition-", "ValueSet-", "CodeSystem-"];

    /// <summary>The StructureDefinitions, ValueSets and CodeSystems directly under <c>package/</c>.</summary>
    public static IReadOnlyList<Resource> Load(string tgzPath)
    {
        if (!File.Exists(tgzPath))
        {
            throw new RpaWorkerException($"The US Core package was not found at '{tgzPath}'.");
        }

        var deserializer = new FhirJsonDeserializer(new DeserializerSettings());
        var resources = new List<Resource>();
        try
        {
            using var file = File.OpenRead(tgzPath);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                var name = entry.Name.Replace('\\', '/');
                var fileName = name[(name.LastIndexOf('/') + 1)..];
                if (entry.DataStream is null || !name.Equals("package/" + fileName, StringComparison.Ordinal)
                    || !fileName.EndsWith(".json", StringComparison.Ordinal)
                    || !Kinds.Any(kind => fileName.StartsWith(kind, StringComparison.Ordinal)))
                {
                    continue;
                }

                using var reader = new StreamReader(entry.DataStream);
                resources.Add(deserializer.DeserializeResource(reader.ReadToEnd()));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException or DeserializationFailedException)
        {
            throw new RpaWorkerException($"The US Core package at '{tgzPath}' could not be read.", ex);
        }

        if (resources.Count == 0)
        {
            throw new RpaWorkerException($"The package at '{tgzPath}' holds no conformance resources.");
        }

        return resources;
    }
}
