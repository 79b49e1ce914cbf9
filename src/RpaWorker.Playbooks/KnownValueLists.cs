namespace RpaWorker.Playbooks;

/// <summary>
/// The built-in lists a table column's <c>known_values</c> can name instead of listing its values (see
/// <see cref="Model.ColumnDefinition.KnownValues"/>).
/// </summary>
public static class KnownValueLists
{
    /// <summary>Common UCUM units in their written (case-sensitive) form: the units of vital signs and lab results.</summary>
    public static IReadOnlyList<string> Ucum { get; } =
    [
        "%", "/min", "{beats}/min", "{breaths}/min", "{score}", "{count}", "{T-score}", "{ratio}",
        "m", "cm", "mm", "km", "[in_i]", "[ft_i]", "kg", "g", "mg", "ug", "ng", "pg", "[lb_av]", "[oz_av]",
        "L", "dL", "mL", "uL", "fL", "s", "min", "h", "d", "wk", "mo", "a",
        "Cel", "[degF]", "K", "mm[Hg]", "kg/m2", "m2", "mL/min", "mL/min/{1.73_m2}", "L/min",
        "mol/L", "mmol/L", "umol/L", "nmol/L", "pmol/L", "mmol/mol", "mg/dL", "g/dL", "g/L", "mg/L", "ug/L", "ug/dL",
        "ng/mL", "pg/mL", "ug/mL", "mg/mL", "mg/g", "mg/(24.h)", "g/(24.h)",
        "U/L", "kU/L", "mU/L", "[IU]/L", "[IU]/mL", "m[IU]/L", "u[IU]/mL", "meq/L", "mosm/kg",
        "10*3/uL", "10*6/uL", "10*9/L", "10*12/L", "/uL", "/[HPF]", "/[LPF]", "fmol", "pg/{cell}", "[pH]",
    ];

    /// <summary>The lists by the name a playbook gives them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ByName { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["ucum"] = Ucum };
}
