using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Generate;

/// <summary>Deterministic built-in patient generator for the demo.</summary>
public static class ChartGenerator
{
    /// <summary>Generates <paramref name="count"/> charts; the same seed gives the same charts.</summary>
    public static IEnumerable<LegacyChart> Generate(int count, int seed)
        => throw new NotImplementedException("placeholder: being written");
}
