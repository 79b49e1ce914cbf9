using System.Globalization;
using RpaWorker.MockEhr.Data;
using static RpaWorker.MockEhr.Generate.ClinicalCatalog;

namespace RpaWorker.MockEhr.Generate;

/// <summary>Builds one generated chart from its own random stream.</summary>
internal sealed class ChartBuilder
{
    private const string DateFormat = "yyyy-MM-dd";
    private const string DateTimeFormat = "yyyy-MM-ddTHH:mm";

    private readonly Random _rng;
    private readonly int _seed;
    private readonly int _index;
    private readonly string _mrn;
    private readonly List<LegacyProblem> _problems = [];
    private readonly List<LegacyMedication> _medications = [];
    private readonly List<LegacyAllergy> _allergies = [];
    private readonly List<LegacyResult> _results = [];
    private readonly List<LegacyImmunization> _immunizations = [];
    private readonly List<LegacyEncounter> _encounters = [];
    private readonly List<ProblemDef> _chronic = [];
    private readonly HashSet<string> _chronicCodes = new(StringComparer.Ordinal);

    private DateTime _birth;
    private string _sex = "F";
    private DateTime? _death;
    private ProviderDef _pcp = null!;
    private PatientVitals _vitals = null!;
    private (string Code, string Display) _smoking;

    public ChartBuilder(int seed, int index, string mrn)
    {
        _seed = seed;
        _index = index;
        _mrn = mrn;
        _rng = new Random(GeneratorRandom.Mix(seed, index));
    }

    private bool EmptySections => _index == GeneratorCases.EmptySections;

    private bool LongLists => _index == GeneratorCases.LongLists;

    public LegacyChart Build()
    {
        var patient = BuildPatient();
        var end = _death ?? ChartGenerator.ReferenceDate;
        var start = Max(end.AddYears(LongLists ? -8 : -_rng.Next(2, 7)), _birth.AddMonths(6));
        _pcp = _rng.Pick(Providers);
        _smoking = PickSmoking();

        if (!EmptySections)
        {
            AddChronicProblems(end);
        }
        _vitals = new PatientVitals(_rng, _sex, Has(Obesity), Has(Hypertension), Has(AtrialFibrillation));
        AddEncounters(start, end);
        if (!EmptySections)
        {
            AddChronicMedications(start, end);
            AddAllergies(start, end);
            AddImmunizations(start, end);
        }
        ApplyClinicalCases(start, end);

        var chart = new LegacyChart
        {
            Patient = patient,
            Problems = _problems,
            Medications = _medications,
            Allergies = _allergies,
            // The store lists these by time; emitting them in that order keeps a stored chart equal to this one.
            Results = _results.OrderBy(r => r.EffectiveAt, StringComparer.Ordinal).ToList(),
            Immunizations = _immunizations.OrderBy(i => i.Date, StringComparer.Ordinal).ToList(),
            Encounters = _encounters.OrderBy(e => e.StartAt, StringComparer.Ordinal).ToList(),
        };
        return EmptySections ? chart : chart with { Documents = DocumentWriter.Write(_seed, _index, chart, end) };
    }

    private LegacyPatient BuildPatient()
    {
        _sex = _rng.Chance(0.5) ? "M" : "F";
        var age = _index == GeneratorCases.Deceased ? _rng.Next(72, 91) : _rng.Next(18, 93);
        _birth = ChartGenerator.ReferenceDate.AddYears(-age).AddDays(-_rng.Next(1, 365));
        var last = _rng.Pick(DemographicsCatalog.LastNames);
        var givenNames = _sex == "M" ? DemographicsCatalog.MaleFirstNames : DemographicsCatalog.FemaleFirstNames;
        var first = _rng.Pick(givenNames);
        // Clinics hold a middle initial as often as a full middle name.
        string? middle = _rng.Pick(_rng.Chance(0.5) ? DemographicsCatalog.MiddleInitials : givenNames);
        if (_index != GeneratorCases.MiddleName && _rng.Chance(0.4))
        {
            middle = null;
        }
        var language = _rng.Chance(0.8) ? "en" : _rng.Pick(DemographicsCatalog.OtherLanguages);
        string? birthText = _birth.ToString(DateFormat, CultureInfo.InvariantCulture);

        switch (_index)
        {
            case GeneratorCases.ApostropheName:
                last = _rng.Pick(DemographicsCatalog.ApostropheLastNames);
                break;
            case GeneratorCases.HyphenatedName:
                last = _rng.Pick(DemographicsCatalog.HyphenatedLastNames);
                middle = null;
                break;
            case GeneratorCases.NonAsciiName:
                var named = _rng.Pick(DemographicsCatalog.NonAsciiNames);
                (last, first, _sex, language) = (named.Last, named.First, named.Sex, named.Language);
                middle = middle is null ? null : _rng.Pick(DemographicsCatalog.MiddleInitials);
                break;
            case GeneratorCases.MissingBirthDate:
                birthText = null;
                break;
            case GeneratorCases.PartialBirthDate:
                birthText = _rng.Chance(0.5)
                    ? _birth.ToString("yyyy-MM", CultureInfo.InvariantCulture)
                    : _birth.ToString("yyyy", CultureInfo.InvariantCulture);
                break;
            case GeneratorCases.DuplicateNameFirst:
            case GeneratorCases.DuplicateNameSecond:
                (last, first, _sex) = ("Smith", "John", "M");
                middle = middle is null ? null : _rng.Pick(DemographicsCatalog.MiddleInitials);
                _birth = DuplicateBirthDate();
                birthText = _birth.ToString(DateFormat, CultureInfo.InvariantCulture);
                break;
            case GeneratorCases.Deceased:
                _death = ChartGenerator.ReferenceDate.AddDays(-_rng.Next(30, 1000)).AddHours(_rng.Next(0, 24)).AddMinutes(_rng.Next(0, 60));
                break;
        }

        var place = _rng.Pick(DemographicsCatalog.Places);
        return new LegacyPatient
        {
            Mrn = _mrn,
            LastName = last,
            FirstName = first,
            MiddleName = middle,
            BirthDate = birthText,
            Sex = _sex,
            AddressLine = $"{_rng.Next(1, 9999)} {_rng.Pick(DemographicsCatalog.Streets)} {_rng.Pick(DemographicsCatalog.StreetSuffixes)}",
            City = place.City,
            State = place.State,
            Zip = place.Zip,
            Phone = $"555-{_rng.Next(200, 1000)}-{_rng.Next(0, 10000):D4}",
            MaritalStatus = age < 22 ? "S" : _rng.Pick(DemographicsCatalog.MaritalStatuses),
            Language = language,
            DeceasedDate = _death?.ToString(DateTimeFormat, CultureInfo.InvariantCulture),
            UnsignedNotes = _index == GeneratorCases.ThreeUnsignedNotes ? 3 : _rng.Chance(0.2) ? _rng.Next(1, 4) : 0,
        };
    }

    /// <summary>
    /// Both "SMITH, JOHN" charts draw from one stream shared by the generation, so their birth dates
    /// are guaranteed to differ while each chart still depends only on (seed, index).
    /// </summary>
    private DateTime DuplicateBirthDate()
    {
        var shared = new Random(GeneratorRandom.Mix(_seed, int.MinValue));
        var firstBirth = ChartGenerator.ReferenceDate.AddYears(-shared.Next(30, 60)).AddDays(-shared.Next(1, 365));
        return _index == GeneratorCases.DuplicateNameFirst
            ? firstBirth
            : firstBirth.AddYears(-shared.Next(5, 25)).AddDays(-shared.Next(1, 365));
    }

    private (string, string) PickSmoking()
    {
        var roll = _rng.NextDouble();
        return SmokingAnswers[roll < 0.6 ? 0 : roll < 0.75 ? 1 : roll < 0.95 ? 2 : 3];
    }

    private bool Has(string code) => _chronicCodes.Contains(code);

    private void AddChronicProblems(DateTime end)
    {
        var age = Years(_birth, end);
        var (min, max) = LongLists ? (12, 13) : age switch
        {
            < 30 => (0, 3),
            < 50 => (0, 5),
            < 70 => (1, 7),
            _ => (2, 9),
        };
        if (_index == GeneratorCases.PartialOnsetDate)
        {
            min = Math.Max(min, 1);
        }
        var eligible = Chronic.Where(p => p.MinAge <= age).ToList();
        var wanted = _rng.Next(min, max);
        while (_chronic.Count < wanted && eligible.Count > 0)
        {
            var pick = WeightedPick(eligible);
            eligible.Remove(pick);
            if ((pick.Code == Prediabetes && Has(Diabetes)) || (pick.Code == Diabetes && Has(Prediabetes)))
            {
                continue;
            }
            _chronic.Add(pick);
            _chronicCodes.Add(pick.Code);
        }

        foreach (var def in _chronic)
        {
            var earliest = Max(_birth.AddYears(def.MinAge), end.AddYears(-25));
            var onset = _rng.Between(earliest, end.AddDays(-60)).Date;
            var resolved = !LongLists && _rng.Chance(0.06);
            _problems.Add(new LegacyProblem
            {
                Code = def.Code,
                Description = def.Display,
                OnsetDate = _rng.Chance(0.05) ? null : Date(onset),
                Status = resolved ? "Resolved" : _rng.Chance(0.05) ? "Inactive" : "Active",
                ResolvedDate = resolved ? Date(_rng.Between(onset, end).Date) : null,
            });
        }
    }

    private ProblemDef WeightedPick(IReadOnlyList<ProblemDef> defs)
    {
        var roll = _rng.NextDouble() * defs.Sum(d => d.Weight);
        foreach (var d in defs)
        {
            roll -= d.Weight;
            if (roll < 0)
            {
                return d;
            }
        }
        return defs[^1];
    }

    private void AddEncounters(DateTime start, DateTime end)
    {
        var count = LongLists ? 30 : _rng.Next(3, 13);
        // Keep a week before death free so no visit runs past it.
        var last = _death is { } d ? d.AddDays(-7) : end.AddDays(-1);
        var days = Enumerable.Range(0, count).Select(_ => _rng.Between(start, last).Date).Order().ToList();
        var checkupYears = new HashSet<int>();
        foreach (var day in days)
        {
            // A yearly check-up first; a chart with empty sections has no acute visits that would add problems.
            var type = checkupYears.Add(day.Year) ? CheckUp : EmptySections ? FollowUp : PickVisitType();
            AddEncounter(day, type);
        }
        if (LongLists)
        {
            // Earlier episodes from before the visits shown, as a long-standing chart accumulates.
            while (_problems.Count < 48)
            {
                AddAcuteProblem(_rng.Between(start.AddYears(-10), start).Date, withMedication: false, _pcp, Acute);
            }
        }
    }

    private EncounterTypeDef PickVisitType()
    {
        var roll = _rng.NextDouble();
        return roll switch
        {
            < 0.42 when _chronic.Count > 0 => FollowUp,
            < 0.72 => Symptom,
            < 0.85 => UrgentCare,
            < 0.97 => Emergency,
            _ => Admission,
        };
    }

    private void AddEncounter(DateTime day, EncounterTypeDef type)
    {
        var emergency = type.Class != "AMB";
        var startAt = emergency
            ? day.AddHours(_rng.Next(0, 24)).AddMinutes(_rng.Next(0, 60))
            : day.AddHours(_rng.Next(8, 17)).AddMinutes(15 * _rng.Next(0, 4));
        var endAt = type.Class switch
        {
            "IMP" => startAt.AddDays(_rng.Next(2, 6)).AddHours(_rng.Next(0, 12)),
            "EMER" => startAt.AddHours(_rng.Next(2, 7)).AddMinutes(_rng.Next(0, 60)),
            _ => startAt.AddMinutes(15 * _rng.Next(1, 4)),
        };
        var provider = type == CheckUp || type == FollowUp ? _pcp : _rng.Pick(Providers);

        string? reasonCode = null, reasonDisplay = null;
        if (type == FollowUp && _chronic.Count > 0)
        {
            var p = _rng.Pick(_chronic);
            (reasonCode, reasonDisplay) = (p.Code, p.Display);
        }
        else if (type != CheckUp && type != FollowUp)
        {
            var acute = AddAcuteProblem(day, withMedication: true, provider, type == Admission ? AdmissionReasons : Acute);
            (reasonCode, reasonDisplay) = (acute.Code, acute.Display);
        }

        _encounters.Add(new LegacyEncounter
        {
            StartAt = Stamp(startAt),
            EndAt = _rng.Chance(0.05) ? null : Stamp(endAt),
            TypeCode = type.Code,
            TypeDisplay = type.Display,
            Class = type.Class,
            Provider = provider.Name,
            ProviderNpi = provider.Npi,
            ReasonCode = reasonCode,
            ReasonDisplay = reasonDisplay,
        });
        AddVisitResults(type, startAt.AddMinutes(5));
    }

    private ProblemDef AddAcuteProblem(DateTime day, bool withMedication, ProviderDef prescriber, IReadOnlyList<ProblemDef> pool)
    {
        var def = _rng.Pick(pool);
        var resolvedAt = day.AddDays(_rng.Next(7, 29));
        var stillActive = resolvedAt >= (_death ?? ChartGenerator.ReferenceDate);
        _problems.Add(new LegacyProblem
        {
            Code = def.Code,
            Description = def.Display,
            OnsetDate = Date(day),
            Status = stillActive ? "Active" : "Resolved",
            ResolvedDate = stillActive ? null : Date(resolvedAt),
        });
        if (withMedication && def.MedCodes.Length > 0)
        {
            AddMedication(Medications[_rng.Pick(def.MedCodes)], day, stillActive ? "Active" : "Completed", prescriber);
        }
        return def;
    }

    private void AddVisitResults(EncounterTypeDef type, DateTime at)
    {
        _results.AddRange(_vitals.Measure(_rng, at, fever: type.Class != "AMB" && _rng.Chance(0.3)));
        var labsAt = at.AddMinutes(25);
        if (type == CheckUp)
        {
            if (_rng.Chance(0.7))
            {
                AddLabs(Cbc, labsAt);
            }
            AddLabs(MetabolicPanel, labsAt);
            AddLabs(LipidPanel, labsAt);
            if (_rng.Chance(0.35))
            {
                AddLabs(HepaticPanel, labsAt);
            }
            if (Has(Diabetes) || Has(Prediabetes))
            {
                AddLabs([HbA1c], labsAt);
            }
            if (Has(Diabetes))
            {
                AddLabs([Microalbumin], labsAt);
            }
            if (Has(HeartFailure))
            {
                AddLabs([NtProBnp], labsAt);
            }
            AddSmokingStatus(at);
            AddScore("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", _rng.Next(0, 4), at);
            AddScore("55758-7", "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]", Has("35489007") ? _rng.Next(2, 7) : _rng.Next(0, 3), at);
        }
        else if (type == FollowUp)
        {
            if (Has(Diabetes))
            {
                AddLabs([HbA1c], labsAt);
            }
            if (Has(Ckd) || Has(Hypertension))
            {
                AddLabs(MetabolicPanel, labsAt);
            }
        }
        else
        {
            AddScore("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", _rng.Next(2, 11), at);
            if (type.Class != "AMB")
            {
                AddLabs(Cbc, labsAt);
                AddLabs(MetabolicPanel, labsAt);
            }
        }
    }

    private void AddLabs(IEnumerable<LabDef> labs, DateTime at)
    {
        var stamp = Stamp(at);
        foreach (var lab in labs)
        {
            var (mean, sd) = Expected(lab);
            var raw = Math.Max(_rng.Gauss(mean, sd), Math.Pow(10, -lab.Decimals));
            var value = Math.Round((decimal)raw, lab.Decimals, MidpointRounding.AwayFromZero);
            _results.Add(LabCatalog.WithReferenceRange(new LegacyResult
            {
                Section = ResultSection.Labs,
                Code = lab.Loinc,
                Name = lab.Name,
                Kind = ResultValueKind.Quantity,
                Value = LabCatalog.FormatValue(value),
                Unit = lab.Unit,
                EffectiveAt = stamp,
            }));
        }
    }

    /// <summary>What a lab value centres on for this patient: conditions move it out of range as they would.</summary>
    private (double Mean, double Sd) Expected(LabDef lab) => lab.Loinc switch
    {
        "2339-0" when Has(Diabetes) => (165, 40),
        "2339-0" when Has(Prediabetes) => (108, 8),
        "4548-4" when Has(Diabetes) => (7.8, 1.1),
        "4548-4" when Has(Prediabetes) => (6.0, 0.2),
        "14959-1" when Has(Ckd) => (80, 40),
        "2093-3" when Has(Hyperlipidemia) => (232, 28),
        "18262-6" when Has(Hyperlipidemia) => (148, 25),
        "2571-8" when Has(Hyperlipidemia) => (195, 45),
        "38483-4" when Has(Ckd) => (1.7, 0.3),
        "33914-3" when Has(Ckd) => (44, 8),
        "6299-2" when Has(Ckd) => (27, 5),
        "718-7" when Has(Anemia) => (10.6, 0.8),
        "4544-3" when Has(Anemia) => (32, 2.5),
        "787-2" when Has(Anemia) => (76, 4),
        "33762-6" when Has(HeartFailure) => (900, 400),
        "718-7" when _sex == "M" => (lab.Mean + 0.8, lab.Sd),
        _ => (lab.Mean, lab.Sd),
    };

    private void AddSmokingStatus(DateTime at) => _results.Add(new LegacyResult
    {
        Section = ResultSection.Social,
        Code = "72166-2",
        Name = "Tobacco smoking status",
        Kind = ResultValueKind.Coded,
        Value = _smoking.Display,
        ValueCode = _smoking.Code,
        ValueCodeSystem = Snomed,
        EffectiveAt = Stamp(at),
    });

    private void AddScore(string loinc, string name, int score, DateTime at) => _results.Add(new LegacyResult
    {
        Section = ResultSection.Other,
        Code = loinc,
        Name = name,
        Kind = ResultValueKind.Quantity,
        Value = score.ToString(CultureInfo.InvariantCulture),
        Unit = "{score}",
        EffectiveAt = Stamp(at),
    });

    private void AddChronicMedications(DateTime start, DateTime end)
    {
        var prescribed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (def, problem) in _chronic.Zip(_problems))
        {
            if (def.MedCodes.Length == 0 || problem.Status != "Active")
            {
                continue;
            }
            foreach (var code in _rng.Sample(def.MedCodes, _rng.Next(1, Math.Min(2, def.MedCodes.Length) + 1)))
            {
                if (!prescribed.Add(code))
                {
                    continue;
                }
                var onset = problem.OnsetDate is { } o ? DateTime.ParseExact(o, DateFormat, CultureInfo.InvariantCulture) : start;
                var started = _rng.Between(onset, Min(onset.AddDays(90), end.AddDays(-1))).Date;
                var roll = _rng.NextDouble();
                AddMedication(Medications[code], started, roll < 0.85 ? "Active" : roll < 0.95 ? "Stopped" : "On hold", _pcp);
            }
        }
    }

    private void AddMedication(MedDef med, DateTime started, string status, ProviderDef prescriber, string? sig = null) =>
        _medications.Add(new LegacyMedication
        {
            Code = med.RxNorm,
            Name = med.Name,
            Status = status,
            StartDate = Date(started),
            Sig = sig ?? (_rng.Chance(0.04) ? null : _rng.Pick(med.Sigs)),
            Prescriber = _rng.Chance(0.05) ? null : prescriber.Name,
        });

    private void AddAllergies(DateTime start, DateTime end)
    {
        var roll = _rng.NextDouble();
        var count = LongLists ? 4 : roll < 0.55 ? 0 : roll < 0.8 ? 1 : roll < 0.92 ? 2 : 3;
        foreach (var def in _rng.Sample(Allergies, count))
        {
            AddAllergy(def, _rng.Pick(def.Reactions), start, end);
        }
    }

    private void AddAllergy(AllergyDef def, string? reaction, DateTime start, DateTime end)
    {
        var criticality = reaction == "Anaphylaxis" ? "High" : _rng.Pick<string?>(["Low", "Low", "Unable to assess", null]);
        _allergies.Add(new LegacyAllergy
        {
            Code = def.Code,
            CodeSystem = Snomed,
            Substance = def.Substance,
            Reaction = _rng.Chance(0.08) ? null : reaction,
            Criticality = criticality,
            Status = _rng.Chance(0.9) ? "Active" : "Inactive",
            Category = def.Category,
            RecordedDate = _rng.Chance(0.1) ? null : Date(_rng.Between(start, end).Date),
        });
    }

    private void AddImmunizations(DateTime start, DateTime end)
    {
        var age = Years(_birth, end);
        var takesFlu = _rng.Chance(0.7);
        for (var year = start.Year; year <= end.Year; year++)
        {
            if (takesFlu && _rng.Chance(0.8))
            {
                AddShot(Influenza, new DateTime(year, 9, 15, 0, 0, 0, DateTimeKind.Utc).AddDays(_rng.Next(0, 75)), start, end);
            }
        }
        if (_rng.Chance(0.7))
        {
            var first = new DateTime(2021, 3, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(_rng.Next(0, 90));
            AddShot(Covid, first, start, end);
            AddShot(Covid, first.AddDays(21), start, end);
            if (_rng.Chance(0.5))
            {
                AddShot(Covid, first.AddDays(_rng.Next(200, 260)), start, end);
            }
        }
        if (_rng.Chance(0.3))
        {
            AddShot(_rng.Chance(0.5) ? Td : Tdap, _rng.Between(start, end).Date, start, end);
        }
        if (age >= 65 && _rng.Chance(0.6))
        {
            var pcv = _rng.Between(start, end).Date;
            AddShot(Pcv13, pcv, start, end);
            AddShot(Ppsv23, pcv.AddYears(1), start, end);
        }
        if (age >= 50 && _rng.Chance(0.35))
        {
            var zoster = _rng.Between(start, end).Date;
            AddShot(Zoster, zoster, start, end);
            AddShot(Zoster, zoster.AddDays(_rng.Next(60, 180)), start, end);
        }
        if (_rng.Chance(0.1))
        {
            AddShot(HepB, _rng.Between(start, end).Date, start, end);
        }
    }

    private void AddShot(VaccineDef vaccine, DateTime day, DateTime start, DateTime end)
    {
        if (day >= start && day < end)
        {
            _immunizations.Add(new LegacyImmunization { CvxCode = vaccine.Cvx, Vaccine = vaccine.Name, Date = Date(day) });
        }
    }

    private void ApplyClinicalCases(DateTime start, DateTime end)
    {
        switch (_index)
        {
            case GeneratorCases.PartialOnsetDate:
                var onset = _rng.Between(end.AddYears(-20), start);
                _problems[0] = _problems[0] with
                {
                    OnsetDate = onset.ToString(_rng.Chance(0.5) ? "yyyy-MM" : "yyyy", CultureInfo.InvariantCulture),
                };
                break;
            case GeneratorCases.LongSig:
                AddMedication(Medications["312617"], _rng.Between(start, end.AddDays(-30)).Date, "Completed", _pcp, LongTaperSig());
                break;
            case GeneratorCases.HtmlText:
                var substance = _rng.Pick(Allergies.Where(a => _allergies.All(x => x.Code != a.Code)).ToList());
                _allergies.Insert(0, new LegacyAllergy
                {
                    Code = substance.Code,
                    CodeSystem = Snomed,
                    Substance = substance.Substance,
                    Reaction = "<b>rash</b> & itching",
                    Criticality = "Low",
                    Status = "Active",
                    Category = substance.Category,
                    RecordedDate = Date(_rng.Between(start, end).Date),
                });
                AddMedication(Medications["106258"], _rng.Between(start, end).Date, "Active", _pcp,
                    $"Apply a thin layer to the {_rng.Pick(new[] { "rash", "affected area", "elbows & knees" })} twice daily " +
                    "<script>alert('x')</script> avoid eyes & mouth");
                break;
        }
    }

    /// <summary>A steroid taper written out in full, as clinics do, which makes a sig of 600+ characters.</summary>
    private string LongTaperSig()
    {
        var steps = new List<string>();
        for (var mg = 10 * _rng.Next(4, 7); mg > 0; mg -= 10)
        {
            steps.Add($"take {mg / 5} tablets ({mg} mg) by mouth once daily with breakfast for {_rng.Next(2, 5)} days");
        }
        var text = "Prednisone taper as discussed at the visit: " + string.Join(", then ", steps) +
            ", then take 1 tablet (5 mg) daily for 3 days and stop. Take each dose with food in the morning to reduce stomach upset " +
            "and trouble sleeping. Do not stop this medicine suddenly or skip doses without talking to your doctor first. " +
            "If you have diabetes, check your blood sugar twice daily while on this medicine and call the clinic if readings " +
            "are above 300 mg/dL. Call the clinic or go to the emergency department if you notice black or bloody stools, " +
            "severe abdominal pain, vision changes, swelling of the legs, or signs of infection such as a fever over 38.3 C.";
        return text;
    }

    private static string Date(DateTime d) => d.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static string Stamp(DateTime d) => d.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static int Years(DateTime birth, DateTime at)
    {
        var years = at.Year - birth.Year;
        return at < birth.AddYears(years) ? years - 1 : years;
    }
}
