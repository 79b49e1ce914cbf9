using System.Globalization;
using System.Text;
using System.Text.Json;
using RpaWorker.MockEhr.Data;
using ModelInfo = Hl7.Fhir.Model.ModelInfo;

namespace RpaWorker.MockEhr.Import;

/// <summary>The outcome of mapping one bundle file: a chart to store, or the reason the whole file is skipped.</summary>
internal sealed record BundleOutcome(
    LegacyChart? Chart,
    string? SkipReason,
    IReadOnlyDictionary<string, int> Imported,
    IReadOnlyDictionary<string, int> Skipped,
    IReadOnlyList<ImportWarning> Warnings);

/// <summary>Maps one FHIR R4 bundle (parsed with System.Text.Json) into a legacy chart.</summary>
internal sealed class BundleMapper
{
    private const string Snomed = CodeSystems.Snomed;
    private const string Loinc = CodeSystems.Loinc;
    private const string RxNorm = CodeSystems.RxNorm;
    private const string Cvx = CodeSystems.Cvx;
    private const string Npi = CodeSystems.Npi;
    private const string NotShown = "not shown by this EHR";

    private readonly string _fileName;
    private readonly Dictionary<string, JsonElement> _byReference = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _imported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _skipped = new(StringComparer.Ordinal);
    private readonly List<ImportWarning> _warnings = [];

    private BundleMapper(string fileName) => _fileName = fileName;

    public static BundleOutcome Map(string fileName, JsonElement root) => new BundleMapper(fileName).MapBundle(root);

    private BundleOutcome MapBundle(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || root.Str("resourceType") != "Bundle")
        {
            return Fail("not a FHIR Bundle");
        }

        var entries = new List<(int Index, string Type, JsonElement Resource)>();
        var index = 0;
        foreach (var entry in root.Items("entry"))
        {
            var i = index++;
            if (entry.Prop("resource") is not { ValueKind: JsonValueKind.Object } resource)
            {
                _warnings.Add(new(_fileName, i, "entry has no resource"));
                continue;
            }
            if (resource.Str("resourceType") is not { } type || !ModelInfo.IsKnownResource(type))
            {
                _warnings.Add(new(_fileName, i, "resourceType is not a FHIR R4 resource type; entry ignored"));
                continue;
            }
            entries.Add((i, type, resource));
            if (entry.Str("fullUrl") is { } fullUrl)
            {
                _byReference[fullUrl] = resource;
            }
            if (resource.Str("id") is { } id)
            {
                _byReference[type + "/" + id] = resource;
            }
        }

        var patients = entries.Where(e => e.Type == "Patient").ToList();
        if (patients.Count == 0)
        {
            return Fail("no Patient resource");
        }
        if (patients.Count > 1)
        {
            return Fail("more than one Patient resource");
        }
        if (MapPatient(patients[0].Resource) is not { } patient)
        {
            return Fail("Patient has no MRN identifier or no name");
        }
        Count(_imported, "Patient");

        var problems = new List<LegacyProblem>();
        var meds = new List<LegacyMedication>();
        var allergies = new List<LegacyAllergy>();
        var results = new List<LegacyResult>();
        var imms = new List<LegacyImmunization>();
        var encounters = new List<LegacyEncounter>();
        foreach (var (i, type, r) in entries)
        {
            switch (type)
            {
                case "Patient":
                    break;
                case "Condition":
                    Add(problems, type, MapCondition(r));
                    break;
                case "MedicationRequest":
                    Add(meds, type, MapMedication(r));
                    break;
                case "AllergyIntolerance":
                    Add(allergies, type, MapAllergy(r));
                    break;
                case "Observation":
                    Add(results, type, MapObservation(r));
                    break;
                case "Immunization":
                    Add(imms, type, MapImmunization(r));
                    break;
                case "Encounter":
                    Add(encounters, type, MapEncounter(r));
                    break;
                case "Practitioner":
                    Count(_skipped, "Practitioner: used for provider names only");
                    break;
                default:
                    Count(_skipped, $"{type}: {NotShown}");
                    break;
            }
        }

        var chart = new LegacyChart
        {
            Patient = patient,
            Problems = problems,
            Medications = meds,
            Allergies = allergies,
            Results = results,
            Immunizations = imms,
            Encounters = encounters,
        };
        return new BundleOutcome(chart, null, _imported, _skipped, _warnings);
    }

    private BundleOutcome Fail(string reason) => new(null, reason, _imported, _skipped, _warnings);

    private void Add<T>(List<T> rows, string type, Mapped<T> mapped)
    {
        if (mapped.Row is { } row)
        {
            rows.Add(row);
            Count(_imported, type);
        }
        else
        {
            Count(_skipped, $"{type}: {mapped.Reason}");
        }
    }

    private static void Count(Dictionary<string, int> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    private readonly record struct Mapped<T>(T? Row, string? Reason)
    {
        public static implicit operator Mapped<T>(T row) => new(row, null);
    }

    private static Mapped<T> Skip<T>(string reason) => new(default, reason);

    private static LegacyPatient? MapPatient(JsonElement p)
    {
        var mrn = p.Items("identifier")
            .FirstOrDefault(id => id.Prop("type").Prop("coding").Items().Any(c => c.Str("code") == "MR"))
            .Str("value");
        var names = p.Items("name").ToList();
        var name = names.FirstOrDefault(n => n.Str("use") == "official") is { ValueKind: JsonValueKind.Object } official
            ? official
            : names.FirstOrDefault();
        var given = name.Items("given").Select(g => ((JsonElement?)g).Str()).ToList();
        if (mrn is null || name.Str("family") is not { } family)
        {
            return null;
        }
        var address = p.First("address");
        return new LegacyPatient
        {
            Mrn = mrn,
            LastName = family,
            FirstName = given.ElementAtOrDefault(0) ?? "",
            MiddleName = given.ElementAtOrDefault(1),
            BirthDate = FhirJson.DatePart(p.Str("birthDate")),
            Sex = p.Str("gender") switch
            {
                "male" => "M",
                "female" => "F",
                "other" => "O",
                _ => "U",
            },
            AddressLine = address.Prop("line").First().Str(),
            City = address.Str("city"),
            State = UsStates.ToCode(address.Str("state")),
            Zip = address.Str("postalCode"),
            Phone = p.Items("telecom").FirstOrDefault(t => t.Str("system") == "phone").Str("value"),
            MaritalStatus = p.Prop("maritalStatus").Coding().Str("code"),
            Language = p.First("communication").Prop("language").Coding().Str("code"),
            DeceasedDate = FhirJson.UtcMinute(p.Str("deceasedDateTime")),
            UnsignedNotes = UnsignedNotesFor(mrn),
        };
    }

    /// <summary>
    /// About one chart in four has 1..3 unsigned notes, chosen from the MRN so that every import of the
    /// same data shows the same popups (string.GetHashCode is randomised per process, so FNV-1a is used).
    /// </summary>
    internal static int UnsignedNotesFor(string mrn)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(mrn))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }
        return hash % 4 == 0 ? 1 + (int)(hash / 4 % 3) : 0;
    }

    private static Mapped<LegacyProblem> MapCondition(JsonElement r)
    {
        var concept = r.Prop("code");
        if (concept.Coding(Snomed) is not { } coding)
        {
            return Skip<LegacyProblem>("no code");
        }
        var abatement = r.Str("abatementDateTime") ?? r.Prop("abatementPeriod").Str("start");
        var status = r.Prop("clinicalStatus").Coding().Str("code") switch
        {
            "resolved" => "Resolved",
            "inactive" or "remission" => "Inactive",
            null when abatement is not null => "Resolved",
            _ => "Active",
        };
        return new LegacyProblem
        {
            Code = coding.Str("code")!,
            Description = concept.Display(coding) ?? coding.Str("code")!,
            OnsetDate = FhirJson.DatePart(r.Str("onsetDateTime") ?? r.Prop("onsetPeriod").Str("start")),
            Status = status,
            ResolvedDate = FhirJson.DatePart(abatement),
        };
    }

    private Mapped<LegacyMedication> MapMedication(JsonElement r)
    {
        var concept = r.Prop("medicationCodeableConcept") ??
                      Resolve(r.Prop("medicationReference").Str("reference")).Prop("code");
        if (concept.Coding(RxNorm) is not { } coding)
        {
            return Skip<LegacyMedication>("no medication code");
        }
        var status = r.Str("status") switch
        {
            null => "Active",
            "on-hold" => "On hold",
            var s => FhirJson.Capitalise(s),
        };
        return new LegacyMedication
        {
            Code = coding.Str("code")!,
            Name = concept.Display(coding) ?? coding.Str("code")!,
            Status = status,
            StartDate = FhirJson.DatePart(r.Str("authoredOn")),
            Sig = Sig(r.First("dosageInstruction")),
            Prescriber = ProviderOf(r.Prop("requester")).Name,
        };
    }

    /// <summary>Directions as a clinic would type them, from the structured dosage when there is no text.</summary>
    private static string? Sig(JsonElement? dosage)
    {
        if (dosage.Str("text") is { } text)
        {
            return text;
        }
        var parts = new List<string>();
        var dose = dosage.Prop("doseAndRate").First().Prop("doseQuantity");
        if (dose.Prop("value").Decimal() is { } amount)
        {
            parts.Add($"{LabCatalog.FormatValue(amount)} {dose.Str("unit") ?? "tablet"}");
        }
        var repeat = dosage.Prop("timing").Prop("repeat");
        if (repeat.Prop("frequency").Decimal() is { } frequency && repeat.Prop("period").Decimal() is { } period)
        {
            var unit = repeat.Str("periodUnit") switch
            {
                "s" => "second",
                "min" => "minute",
                "h" => "hour",
                "d" => "day",
                "wk" => "week",
                "mo" => "month",
                "a" => "year",
                var u => u ?? "day",
            };
            parts.Add($"{LabCatalog.FormatValue(frequency)} times per {LabCatalog.FormatValue(period)} {unit}");
        }
        if (dosage.Prop("asNeededBoolean") is { ValueKind: JsonValueKind.True })
        {
            parts.Add("as needed");
        }
        return parts.Count > 0 ? string.Join(' ', parts) : null;
    }

    private static Mapped<LegacyAllergy> MapAllergy(JsonElement r)
    {
        var concept = r.Prop("code");
        if (concept.Coding() is not { } coding)
        {
            return Skip<LegacyAllergy>("no code");
        }
        var manifestation = r.First("reaction").Prop("manifestation").First();
        return new LegacyAllergy
        {
            Code = coding.Str("code")!,
            CodeSystem = coding.Str("system") ?? Snomed,
            Substance = concept.Display(coding) ?? coding.Str("code")!,
            Reaction = manifestation.Display(manifestation.Coding()),
            Criticality = r.Str("criticality") switch
            {
                "low" => "Low",
                "high" => "High",
                "unable-to-assess" => "Unable to assess",
                _ => null,
            },
            Status = r.Prop("clinicalStatus").Coding().Str("code") is { } s ? FhirJson.Capitalise(s) : "Active",
            Category = r.Prop("category").First().Str(),
            RecordedDate = FhirJson.DatePart(r.Str("recordedDate")),
        };
    }

    private static Mapped<LegacyResult> MapObservation(JsonElement r)
    {
        var concept = r.Prop("code");
        if (concept.Coding(Loinc) is not { } coding)
        {
            return Skip<LegacyResult>("no code");
        }
        var code = coding.Str("code")!;
        var effective = FhirJson.UtcMinute(r.Str("effectiveDateTime") ?? r.Prop("effectivePeriod").Str("start") ??
                                           r.Str("effectiveInstant") ?? r.Str("issued"));
        if (effective is null)
        {
            return Skip<LegacyResult>("no effective time");
        }
        var categories = r.Items("category").SelectMany(c => c.Items("coding")).Select(c => c.Str("code")).ToHashSet();
        var section =
            code == "72166-2" ? ResultSection.Social
            : categories.Contains("vital-signs") || categories.Contains("vital-sign") ? ResultSection.Vitals
            : categories.Contains("laboratory") ? ResultSection.Labs
            : ResultSection.Other;
        var result = new LegacyResult
        {
            Section = section,
            Code = code,
            Name = concept.Display(coding) ?? code,
            Kind = ResultValueKind.Text,
            Value = "",
            EffectiveAt = effective,
        };

        decimal? Component(string loinc) => r.Items("component")
            .FirstOrDefault(c => c.Prop("code").Prop("coding").Items().Any(x => x.Str("code") == loinc))
            .Prop("valueQuantity").Prop("value").Decimal();

        if (Component("8480-6") is { } sys && Component("8462-4") is { } dia)
        {
            return result with
            {
                Kind = ResultValueKind.BloodPressure,
                Value = $"{LabCatalog.FormatValue(sys)}/{LabCatalog.FormatValue(dia)}",
                Unit = "mm[Hg]",
            };
        }
        if (r.Prop("valueQuantity") is { } quantity && quantity.Prop("value").Decimal() is { } value)
        {
            result = result with
            {
                Kind = ResultValueKind.Quantity,
                Value = LabCatalog.FormatValue(value),
                Unit = quantity.Str("code") ?? quantity.Str("unit"),
            };
            return section == ResultSection.Labs ? LabCatalog.WithReferenceRange(result) : result;
        }
        var answer = r.Prop("valueCodeableConcept");
        if (answer.Coding() is { } answerCoding)
        {
            return result with
            {
                Kind = ResultValueKind.Coded,
                Value = answer.Display(answerCoding) ?? answerCoding.Str("code")!,
                ValueCode = answerCoding.Str("code"),
                ValueCodeSystem = answerCoding.Str("system"),
            };
        }
        if (r.Str("valueString") is { } text)
        {
            return result with { Kind = ResultValueKind.Text, Value = text };
        }
        return Skip<LegacyResult>("no value the screens can show");
    }

    private static Mapped<LegacyImmunization> MapImmunization(JsonElement r)
    {
        var concept = r.Prop("vaccineCode");
        if (concept.Coding(Cvx) is not { } coding)
        {
            return Skip<LegacyImmunization>("no vaccine code");
        }
        if (FhirJson.DatePart(r.Str("occurrenceDateTime")) is not { } date)
        {
            return Skip<LegacyImmunization>("no date given");
        }
        return new LegacyImmunization
        {
            CvxCode = coding.Str("code")!,
            Vaccine = concept.Display(coding) ?? coding.Str("code")!,
            Date = date,
        };
    }

    private Mapped<LegacyEncounter> MapEncounter(JsonElement r)
    {
        if (FhirJson.UtcMinute(r.Prop("period").Str("start")) is not { } start)
        {
            return Skip<LegacyEncounter>("no start time");
        }
        var typeConcept = r.Prop("type").First();
        if (typeConcept.Coding() is not { } type)
        {
            return Skip<LegacyEncounter>("no visit type");
        }
        var provider = ProviderOf(r.First("participant").Prop("individual"));
        var reasonConcept = r.Prop("reasonCode").First();
        var reason = reasonConcept.Coding();
        return new LegacyEncounter
        {
            StartAt = start,
            EndAt = FhirJson.UtcMinute(r.Prop("period").Str("end")),
            TypeCode = type.Str("code")!,
            TypeDisplay = typeConcept.Display(type) ?? type.Str("code")!,
            Class = r.Prop("class").Str("code") ?? "",
            Provider = provider.Name,
            ProviderNpi = provider.Npi,
            ReasonCode = reason.Str("code"),
            ReasonDisplay = reason is null ? null : reasonConcept.Display(reason),
        };
    }

    private JsonElement? Resolve(string? reference) =>
        reference is not null && _byReference.TryGetValue(reference, out var r) ? r : null;

    /// <summary>
    /// A practitioner's display name ("FAMILY, GIVEN") and NPI. Newer Synthea refers to practitioners by a
    /// conditional reference on the NPI ("Practitioner?identifier=...us-npi|123") instead of a fullUrl.
    /// </summary>
    private (string? Name, string? Npi) ProviderOf(JsonElement? reference)
    {
        var target = reference.Str("reference");
        var resource = Resolve(target);
        string? npi = null;
        if (resource is null && target is not null && target.StartsWith("Practitioner?identifier=", StringComparison.Ordinal))
        {
            npi = target[(target.LastIndexOf('|') + 1)..];
            resource = _byReference.Values.FirstOrDefault(x => x.Str("resourceType") == "Practitioner" &&
                x.Items("identifier").Any(id => id.Str("system") == Npi && id.Str("value") == npi));
        }
        if (resource is not { } practitioner || practitioner.Str("resourceType") != "Practitioner")
        {
            return (reference.Str("display")?.ToUpperInvariant(), npi);
        }
        npi = practitioner.Items("identifier").FirstOrDefault(id => id.Str("system") == Npi).Str("value") ?? npi;
        var name = practitioner.First("name");
        var family = name.Str("family");
        var given = name.Prop("given").First().Str();
        var display = family is null ? given : given is null ? family : $"{family}, {given}";
        return (display?.ToUpper(CultureInfo.InvariantCulture), npi);
    }
}
