using System.Text.Json;
using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Tests.Generate;

/// <summary>Compares charts by content: the records hold lists, which records compare by reference.</summary>
internal static class ChartAssert
{
    public static string Canonical(LegacyChart chart) => JsonSerializer.Serialize(chart);

    public static LegacyChart WithoutIds(LegacyChart chart) => new()
    {
        Patient = chart.Patient with { Id = 0 },
        Problems = [.. chart.Problems.Select(x => x with { Id = 0, PatientId = 0 })],
        Medications = [.. chart.Medications.Select(x => x with { Id = 0, PatientId = 0 })],
        Allergies = [.. chart.Allergies.Select(x => x with { Id = 0, PatientId = 0 })],
        Results = [.. chart.Results.Select(x => x with { Id = 0, PatientId = 0 })],
        Immunizations = [.. chart.Immunizations.Select(x => x with { Id = 0, PatientId = 0 })],
        Encounters = [.. chart.Encounters.Select(x => x with { Id = 0, PatientId = 0 })],
    };
}
