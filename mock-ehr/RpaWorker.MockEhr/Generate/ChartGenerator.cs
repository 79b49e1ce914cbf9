using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Generate;

/// <summary>
/// Deterministic built-in patient generator for the demo (<c>--data generated:N[:seed]</c>).
/// </summary>
/// <remarks>
/// Each chart depends only on the seed and its own position, so the first k charts of a generation of n
/// are the charts a generation of k gives, and a chart can be rebuilt without its predecessors. Dates are
/// relative to <see cref="ReferenceDate"/>, never the clock, so a demo looks the same every day.
/// The awkward cases real data has sit at the fixed positions listed in <see cref="GeneratorCases"/>.
/// Ids are 0: the store assigns them.
/// </remarks>
public static class ChartGenerator
{
    /// <summary>"Today" for generated data: every generated date is on or before it.</summary>
    public static readonly DateTime ReferenceDate = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The seed to use when none is given (<c>--data generated:N</c>), so the default demo never changes.</summary>
    public const int DefaultSeed = 1;

    /// <summary>The most charts one generation can hold while keeping MRNs 7 digits and unique.</summary>
    public const int MaxCount = MrnSpan;

    private const int MrnBase = 1_000_000;
    private const int MrnSpan = 9_000_000;
    // Coprime with MrnSpan (not divisible by 2, 3 or 5), so index -> MRN is a bijection on 0..MrnSpan-1.
    private const long MrnStride = 7_919_993;

    /// <summary>Generates <paramref name="count"/> charts; the same seed gives the same charts.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or above <see cref="MaxCount"/>.</exception>
    public static IEnumerable<LegacyChart> Generate(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        return Iterate(count, seed);
    }

    private static IEnumerable<LegacyChart> Iterate(int count, int seed)
    {
        for (var i = 0; i < count; i++)
        {
            yield return new ChartBuilder(seed, i, Mrn(seed, i)).Build();
        }
    }

    /// <summary>A 7-digit MRN unique within a generation: an affine permutation of the index, offset by the seed.</summary>
    internal static string Mrn(int seed, int index)
    {
        var offset = (long)(uint)GeneratorRandom.Mix(seed, -1) % MrnSpan;
        var n = MrnBase + ((index * MrnStride + offset) % MrnSpan);
        return n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
