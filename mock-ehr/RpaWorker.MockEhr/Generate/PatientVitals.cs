using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Generate;

/// <summary>
/// One patient's vital-sign baseline, so a chart's visits drift around the same person's numbers
/// (height fixed, weight wandering, blood pressure high for a hypertensive) instead of jumping about.
/// </summary>
internal sealed class PatientVitals
{
    private readonly decimal _heightCm;
    private readonly double _systolic;
    private readonly double _diastolic;
    private readonly double _pulse;
    private double _weightKg;

    public PatientVitals(Random rng, string sex, bool obese, bool hypertensive, bool atrialFibrillation)
    {
        _heightCm = Math.Round((decimal)rng.Gauss(sex == "M" ? 176 : 163, 7), 1, MidpointRounding.AwayFromZero);
        var bmi = obese ? rng.Gauss(34, 3) : rng.Gauss(25.5, 3);
        var metres = (double)_heightCm / 100;
        _weightKg = bmi * metres * metres;
        _systolic = hypertensive ? 142 : 121;
        _diastolic = hypertensive ? 89 : 77;
        _pulse = atrialFibrillation ? 92 : 73;
    }

    /// <summary>The vitals taken at one visit; <paramref name="fever"/> for acute visits that run a temperature.</summary>
    public IEnumerable<LegacyResult> Measure(Random rng, DateTime at, bool fever)
    {
        _weightKg = Math.Max(35, _weightKg + rng.Gauss(0, 1.2));
        var weight = Round1(_weightKg);
        var metres = _heightCm / 100m;
        var bmi = Math.Round(weight / (metres * metres), 1, MidpointRounding.AwayFromZero);
        var systolic = (int)Math.Round(rng.Gauss(_systolic, 11));
        var diastolic = Math.Min((int)Math.Round(rng.Gauss(_diastolic, 7)), systolic - 20);
        var temperature = Round1(fever ? rng.Gauss(38.5, 0.4) : rng.Gauss(36.8, 0.25));
        var stamp = at.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);

        LegacyResult Quantity(string code, string name, decimal value, string unit) => new()
        {
            Section = ResultSection.Vitals,
            Code = code,
            Name = name,
            Kind = ResultValueKind.Quantity,
            Value = LabCatalog.FormatValue(value),
            Unit = unit,
            EffectiveAt = stamp,
        };

        return
        [
            Quantity("8302-2", "Body Height", _heightCm, "cm"),
            Quantity("29463-7", "Body Weight", weight, "kg"),
            Quantity("39156-5", "Body Mass Index", bmi, "kg/m2"),
            new LegacyResult
            {
                Section = ResultSection.Vitals,
                Code = "85354-9",
                Name = "Blood Pressure",
                Kind = ResultValueKind.BloodPressure,
                Value = $"{systolic}/{diastolic}",
                Unit = "mm[Hg]",
                EffectiveAt = stamp,
            },
            Quantity("8867-4", "Heart rate", (int)Math.Round(rng.Gauss(_pulse, 9)), "/min"),
            Quantity("8310-5", "Body temperature", temperature, "Cel"),
            Quantity("9279-1", "Respiratory rate", Math.Max(10, (int)Math.Round(rng.Gauss(fever ? 20 : 15, 2))), "/min"),
        ];
    }

    private static decimal Round1(double value) => Math.Round((decimal)value, 1, MidpointRounding.AwayFromZero);
}
