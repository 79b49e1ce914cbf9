using System.Text.Json.Nodes;

namespace RpaWorker.Cli.Tests;

/// <summary>A patient whose name, MRN and street are canary values that must never reach logs, consoles or metrics.</summary>
internal static class Canary
{
    public const string Family = "Zzcanaryfamily";
    public const string Given = "Qqcanarygiven";
    public const string Mrn = "CANARY-MRN-77341";
    public const string Street = "77 Canarywharf Lane";

    /// <summary>Every canary value, in the cases a screen or a log might show it.</summary>
    public static IEnumerable<string> Values => [Family, Given, Mrn, Street, Family.ToUpperInvariant(), Given.ToUpperInvariant()];

    /// <summary>A Synthea patient renamed to canary values that must never reach the console.</summary>
    public static string BundleFolder()
    {
        var synthea = Repo.Synthea;
        var source = Directory.GetFiles(synthea, "*.json").Where(f => !Path.GetFileName(f).StartsWith("hospital", StringComparison.Ordinal))
            .OrderBy(f => new FileInfo(f).Length).First();
        var bundle = JsonNode.Parse(File.ReadAllText(source))!;
        foreach (var entry in bundle["entry"]!.AsArray())
        {
            var resource = entry!["resource"]!;
            if ((string?)resource["resourceType"] != "Patient")
            {
                continue;
            }
            resource["name"]![0]!["family"] = Family;
            resource["name"]![0]!["given"] = new JsonArray(Given);
            resource["address"]![0]!["line"] = new JsonArray(Street);
            foreach (var identifier in resource["identifier"]!.AsArray())
            {
                if ((string?)identifier!["type"]?["coding"]?[0]?["code"] == "MR")
                {
                    identifier["value"] = Mrn;
                }
            }
        }
        var folder = Directory.CreateTempSubdirectory("rpa-canary-").FullName;
        File.WriteAllText(Path.Combine(folder, "canary.json"), bundle.ToJsonString());
        return folder;
    }
}
