using System.Text.Json;

namespace RpaWorker.Bench.HandWritten;

/// <summary>
/// Writes what was read as JSON lines, one file per section (<c>problems.jsonl</c>, …), each line a record with the
/// chart's MRN, and counts records and non-empty fields by section and by the resource type the product makes of them.
/// </summary>
internal sealed class RecordFiles(string folder) : IAsyncDisposable
{
    private readonly Dictionary<string, StreamWriter> _files = new(StringComparer.Ordinal);

    /// <summary>Records and non-empty fields by section, in the order sections were first written.</summary>
    public List<(string Section, int Records, int Fields)> BySection { get; } = [];

    /// <summary>Records by resource type.</summary>
    public SortedDictionary<string, int> ByResourceType { get; } = new(StringComparer.Ordinal);

    public async Task WriteAsync(ChartRecords chart)
    {
        foreach (var (section, resourceType, records) in chart.Sections)
        {
            if (!_files.TryGetValue(section, out var file))
            {
                file = new StreamWriter(Path.Combine(folder, section + ".jsonl"));
                _files[section] = file;
            }
            foreach (var record in records)
            {
                var line = new Dictionary<string, string>(StringComparer.Ordinal) { ["mrn"] = chart.Mrn };
                foreach (var (name, value) in record)
                {
                    line[name] = value;
                }
                await file.WriteLineAsync(JsonSerializer.Serialize(line));
            }
            var index = BySection.FindIndex(s => s.Section == section);
            var fields = records.Sum(r => r.Values.Count(v => v.Length > 0));
            if (index < 0)
            {
                BySection.Add((section, records.Count, fields));
            }
            else
            {
                BySection[index] = (section, BySection[index].Records + records.Count, BySection[index].Fields + fields);
            }
            ByResourceType[resourceType] = ByResourceType.GetValueOrDefault(resourceType) + records.Count;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var file in _files.Values)
        {
            await file.DisposeAsync();
        }
    }
}
