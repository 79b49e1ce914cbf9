namespace RpaWorker.MockEhr.Generate;

/// <summary>Seeding and sampling functions that give the same numbers on every machine and runtime.</summary>
internal static class GeneratorRandom
{
    /// <summary>
    /// A per-patient seed from the generation seed and the patient's index. SplitMix64 finalisation spreads
    /// neighbouring indexes apart; string hashing is avoided because it is randomised per process.
    /// </summary>
    public static int Mix(int seed, int index)
    {
        var z = ((ulong)(uint)seed << 32) | (uint)index;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return unchecked((int)(z ^ (z >> 32)));
    }

    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    public static bool Chance(this Random rng, double probability) => rng.NextDouble() < probability;

    /// <summary>
    /// An approximately normal sample. Sums of uniforms use only exactly-rounded arithmetic, unlike
    /// Box-Muller's log and cos, so results cannot drift between math libraries.
    /// </summary>
    public static double Gauss(this Random rng, double mean, double sd)
    {
        var sum = rng.NextDouble() + rng.NextDouble() + rng.NextDouble() + rng.NextDouble();
        return mean + (sd * (sum - 2.0) * Math.Sqrt(3.0));
    }

    /// <summary>A moment uniformly between <paramref name="from"/> and <paramref name="to"/>, at whole minutes.</summary>
    public static DateTime Between(this Random rng, DateTime from, DateTime to)
    {
        if (to <= from)
        {
            return from;
        }
        var minutes = (long)(to - from).TotalMinutes;
        return from.AddMinutes((long)(rng.NextDouble() * minutes));
    }

    /// <summary>Distinct items chosen at random, at most <paramref name="count"/>, in the order drawn.</summary>
    public static List<T> Sample<T>(this Random rng, IReadOnlyList<T> items, int count)
    {
        var pool = items.ToList();
        var chosen = new List<T>();
        while (chosen.Count < count && pool.Count > 0)
        {
            var i = rng.Next(pool.Count);
            chosen.Add(pool[i]);
            pool.RemoveAt(i);
        }
        return chosen;
    }
}
