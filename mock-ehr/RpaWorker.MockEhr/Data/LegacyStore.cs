using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RpaWorker.MockEhr.Data;

/// <summary>
/// The mock EHR's SQLite database. In memory by default (a private shared-cache database that lives
/// as long as this object), or a file when a path is given, so a large import can be reused.
/// </summary>
public sealed class LegacyStore : IDisposable
{
    private readonly string _connectionString;
    // Keeps a shared-cache in-memory database alive; SQLite drops it when the last connection closes.
    private readonly SqliteConnection _keepAlive;

    private LegacyStore(string connectionString)
    {
        _connectionString = connectionString;
        _keepAlive = new SqliteConnection(connectionString);
        _keepAlive.Open();
        Execute(_keepAlive, Schema);
    }

    /// <summary>Opens a new, empty in-memory store.</summary>
    public static LegacyStore InMemory() =>
        new($"Data Source=mockehr-{Guid.NewGuid():N};Mode=Memory;Cache=Shared");

    /// <summary>Opens (creating if needed) a store in the SQLite file at <paramref name="path"/>.</summary>
    public static LegacyStore OpenFile(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return new LegacyStore(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
    }

    /// <summary>Number of patients held.</summary>
    public int CountPatients()
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM patient";
        return Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Whether a patient with this MRN exists.</summary>
    public bool MrnExists(string mrn)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT 1 FROM patient WHERE mrn = $mrn";
        cmd.Parameters.AddWithValue("$mrn", mrn);
        return cmd.ExecuteScalar() is not null;
    }

    /// <summary>
    /// Adds a whole chart in one transaction and returns it with the ids the store assigned.
    /// Ids in the argument are ignored.
    /// </summary>
    public LegacyChart AddChart(LegacyChart chart)
    {
        using var c = Open();
        using var tx = c.BeginTransaction();
        var p = chart.Patient;
        var pid = Insert(c, tx, "patient",
            ("mrn", p.Mrn), ("last_name", p.LastName), ("first_name", p.FirstName), ("middle_name", p.MiddleName),
            ("birth_date", p.BirthDate), ("sex", p.Sex), ("address_line", p.AddressLine), ("city", p.City),
            ("state", p.State), ("zip", p.Zip), ("phone", p.Phone), ("marital_status", p.MaritalStatus),
            ("language", p.Language), ("deceased_date", p.DeceasedDate), ("unsigned_notes", p.UnsignedNotes));

        var problems = chart.Problems.Select(x => x with
        {
            PatientId = pid,
            Id = Insert(c, tx, "problem", ("patient_id", pid), ("code", x.Code), ("description", x.Description),
                ("onset_date", x.OnsetDate), ("status", x.Status), ("resolved_date", x.ResolvedDate)),
        }).ToList();
        var meds = chart.Medications.Select(x => x with
        {
            PatientId = pid,
            Id = Insert(c, tx, "medication", ("patient_id", pid), ("code", x.Code), ("name", x.Name), ("status", x.Status),
                ("start_date", x.StartDate), ("sig", x.Sig), ("prescriber", x.Prescriber)),
        }).ToList();
        var allergies = chart.Allergies.Select(x => x with
        {
            PatientId = pid,
            Id = Insert(c, tx, "allergy", ("patient_id", pid), ("code", x.Code), ("code_system", x.CodeSystem),
                ("substance", x.Substance), ("reaction", x.Reaction), ("criticality", x.Criticality), ("status", x.Status),
                ("category", x.Category), ("recorded_date", x.RecordedDate)),
        }).ToList();
        var results = chart.Results.Select(x => x with
        {
            PatientId = pid,
            Id = Insert(c, tx, "result", ("patient_id", pid), ("section", x.Section.ToString()), ("code", x.Code),
                ("name", x.Name), ("kind", x.Kind.ToString()), ("value", x.Value), ("unit", x.Unit), ("value_code", x.ValueCode),
                ("value_code_system", x.ValueCodeSystem), ("ref_low", x.RefLow), ("ref_high", x.RefHigh), ("flag", x.Flag),
                ("effective_at", x.EffectiveAt)),
        }).ToList();
        var imms = chart.Immunizations.Select(x => x with
        {
            PatientId = pid,
            Id = Insert(c, tx, "immunization", ("patient_id", pid), ("cvx_code", x.CvxCode), ("vaccine", x.Vaccine), ("date", x.Date)),
        }).ToList();
        var encounters = chart.Encounters.Select(x => x with
        {
            PatientId = pid,
            Id = Insert(c, tx, "encounter", ("patient_id", pid), ("start_at", x.StartAt), ("end_at", x.EndAt),
                ("type_code", x.TypeCode), ("type_display", x.TypeDisplay), ("class", x.Class), ("provider", x.Provider),
                ("provider_npi", x.ProviderNpi), ("reason_code", x.ReasonCode), ("reason_display", x.ReasonDisplay)),
        }).ToList();
        var documents = chart.Documents.Select(x => x with
        {
            PatientId = pid,
            Id = Insert(c, tx, "document", ("patient_id", pid), ("type", x.Type), ("date", x.Date), ("author", x.Author),
                ("title", x.Title), ("text", x.Text)),
        }).ToList();
        tx.Commit();
        return new LegacyChart
        {
            Patient = p with { Id = pid },
            Problems = problems,
            Medications = meds,
            Allergies = allergies,
            Results = results,
            Immunizations = imms,
            Encounters = encounters,
            Documents = documents,
        };
    }

    /// <summary>All patients, ordered by last name, first name, then id.</summary>
    public IReadOnlyList<LegacyPatient> ListPatients() => QueryPatients("1=1", []);

    /// <summary>One patient by internal id, or null.</summary>
    public LegacyPatient? GetPatient(long id) => QueryPatients("id = $id", [("$id", id)]).FirstOrDefault();

    /// <summary>One patient by MRN, or null.</summary>
    public LegacyPatient? GetPatientByMrn(string mrn) => QueryPatients("mrn = $mrn", [("$mrn", mrn)]).FirstOrDefault();

    /// <summary>
    /// Patients whose name, MRN or birth date matches. <paramref name="name"/> matches "LAST", "LAST, FIRST"
    /// or "FIRST LAST" prefixes, case-insensitively; <paramref name="mrn"/> matches exactly;
    /// <paramref name="birthDate"/> is an ISO date. Null or empty criteria are ignored.
    /// </summary>
    public IReadOnlyList<LegacyPatient> SearchPatients(string? name, string? mrn, string? birthDate)
    {
        var where = new List<string>();
        var args = new List<(string, object?)>();
        if (!string.IsNullOrWhiteSpace(mrn))
        {
            where.Add("mrn = $mrn");
            args.Add(("$mrn", mrn.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(birthDate))
        {
            where.Add("birth_date = $dob");
            args.Add(("$dob", birthDate.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(name))
        {
            var n = name.Trim();
            string last, first;
            if (n.Contains(','))
            {
                last = n[..n.IndexOf(',')].Trim();
                first = n[(n.IndexOf(',') + 1)..].Trim();
            }
            else if (n.Contains(' '))
            {
                first = n[..n.LastIndexOf(' ')].Trim();
                last = n[(n.LastIndexOf(' ') + 1)..].Trim();
            }
            else
            {
                last = n;
                first = "";
            }
            if (first.Length == 0)
            {
                where.Add("(lower(last_name) LIKE $last ESCAPE '\\' OR lower(first_name) LIKE $last ESCAPE '\\')");
            }
            else
            {
                where.Add("lower(last_name) LIKE $last ESCAPE '\\' AND lower(first_name) LIKE $first ESCAPE '\\'");
                args.Add(("$first", LikePrefix(first)));
            }
            args.Add(("$last", LikePrefix(last)));
        }
        return where.Count == 0 ? ListPatients() : QueryPatients(string.Join(" AND ", where), args);
    }

    /// <summary>A whole chart by internal patient id, or null.</summary>
    public LegacyChart? GetChart(long patientId)
    {
        var patient = GetPatient(patientId);
        if (patient is null)
        {
            return null;
        }
        using var c = Open();
        return new LegacyChart
        {
            Patient = patient,
            Problems = Query(c, "SELECT id, patient_id, code, description, onset_date, status, resolved_date FROM problem WHERE patient_id = $p ORDER BY id", patientId,
                r => new LegacyProblem { Id = r.GetInt64(0), PatientId = r.GetInt64(1), Code = r.GetString(2), Description = r.GetString(3), OnsetDate = S(r, 4), Status = r.GetString(5), ResolvedDate = S(r, 6) }),
            Medications = Query(c, "SELECT id, patient_id, code, name, status, start_date, sig, prescriber FROM medication WHERE patient_id = $p ORDER BY id", patientId,
                r => new LegacyMedication { Id = r.GetInt64(0), PatientId = r.GetInt64(1), Code = r.GetString(2), Name = r.GetString(3), Status = r.GetString(4), StartDate = S(r, 5), Sig = S(r, 6), Prescriber = S(r, 7) }),
            Allergies = Query(c, "SELECT id, patient_id, code, code_system, substance, reaction, criticality, status, category, recorded_date FROM allergy WHERE patient_id = $p ORDER BY id", patientId,
                r => new LegacyAllergy { Id = r.GetInt64(0), PatientId = r.GetInt64(1), Code = r.GetString(2), CodeSystem = r.GetString(3), Substance = r.GetString(4), Reaction = S(r, 5), Criticality = S(r, 6), Status = r.GetString(7), Category = S(r, 8), RecordedDate = S(r, 9) }),
            Results = Query(c, "SELECT id, patient_id, section, code, name, kind, value, unit, value_code, value_code_system, ref_low, ref_high, flag, effective_at FROM result WHERE patient_id = $p ORDER BY effective_at, id", patientId,
                r => new LegacyResult
                {
                    Id = r.GetInt64(0), PatientId = r.GetInt64(1), Section = Enum.Parse<ResultSection>(r.GetString(2)), Code = r.GetString(3), Name = r.GetString(4),
                    Kind = Enum.Parse<ResultValueKind>(r.GetString(5)), Value = r.GetString(6), Unit = S(r, 7), ValueCode = S(r, 8), ValueCodeSystem = S(r, 9),
                    RefLow = S(r, 10), RefHigh = S(r, 11), Flag = S(r, 12), EffectiveAt = r.GetString(13),
                }),
            Immunizations = Query(c, "SELECT id, patient_id, cvx_code, vaccine, date FROM immunization WHERE patient_id = $p ORDER BY date, id", patientId,
                r => new LegacyImmunization { Id = r.GetInt64(0), PatientId = r.GetInt64(1), CvxCode = r.GetString(2), Vaccine = r.GetString(3), Date = r.GetString(4) }),
            Encounters = Query(c, "SELECT id, patient_id, start_at, end_at, type_code, type_display, class, provider, provider_npi, reason_code, reason_display FROM encounter WHERE patient_id = $p ORDER BY start_at, id", patientId,
                r => new LegacyEncounter
                {
                    Id = r.GetInt64(0), PatientId = r.GetInt64(1), StartAt = r.GetString(2), EndAt = S(r, 3), TypeCode = r.GetString(4), TypeDisplay = r.GetString(5),
                    Class = r.GetString(6), Provider = S(r, 7), ProviderNpi = S(r, 8), ReasonCode = S(r, 9), ReasonDisplay = S(r, 10),
                }),
            Documents = Query(c, "SELECT id, patient_id, type, date, author, title, text FROM document WHERE patient_id = $p ORDER BY date, id", patientId,
                r => new LegacyDocument
                {
                    Id = r.GetInt64(0), PatientId = r.GetInt64(1), Type = r.GetString(2), Date = r.GetString(3), Author = r.GetString(4),
                    Title = r.GetString(5), Text = r.GetString(6),
                }),
        };
    }

    /// <inheritdoc />
    public void Dispose() => _keepAlive.Dispose();

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        // SQLite's own lower() folds ASCII only, so "Çelik" or "ÇELIK" would never find a stored "Çelik".
        c.CreateFunction("lower", (string? s) => s?.ToLowerInvariant(), isDeterministic: true);
        return c;
    }

    private IReadOnlyList<LegacyPatient> QueryPatients(string where, IEnumerable<(string Name, object? Value)> args)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, mrn, last_name, first_name, middle_name, birth_date, sex, address_line, city, state, zip, phone, " +
                          "marital_status, language, deceased_date, unsigned_notes FROM patient WHERE " + where +
                          " ORDER BY lower(last_name), lower(first_name), id";
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        }
        using var r = cmd.ExecuteReader();
        var list = new List<LegacyPatient>();
        while (r.Read())
        {
            list.Add(new LegacyPatient
            {
                Id = r.GetInt64(0), Mrn = r.GetString(1), LastName = r.GetString(2), FirstName = r.GetString(3), MiddleName = S(r, 4),
                BirthDate = S(r, 5), Sex = r.GetString(6), AddressLine = S(r, 7), City = S(r, 8), State = S(r, 9), Zip = S(r, 10),
                Phone = S(r, 11), MaritalStatus = S(r, 12), Language = S(r, 13), DeceasedDate = S(r, 14), UnsignedNotes = r.GetInt32(15),
            });
        }
        return list;
    }

    private static List<T> Query<T>(SqliteConnection c, string sql, long patientId, Func<SqliteDataReader, T> map)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$p", patientId);
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read())
        {
            list.Add(map(r));
        }
        return list;
    }

    private static string? S(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static string LikePrefix(string s) =>
        s.ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    private static long Insert(SqliteConnection c, SqliteTransaction tx, string table, params (string Column, object? Value)[] values)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO {table} ({string.Join(", ", values.Select(v => v.Column))}) " +
                          $"VALUES ({string.Join(", ", values.Select(v => "$" + v.Column))}); SELECT last_insert_rowid();";
        foreach (var (col, val) in values)
        {
            cmd.Parameters.AddWithValue("$" + col, val ?? DBNull.Value);
        }
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS patient (
            id INTEGER PRIMARY KEY, mrn TEXT NOT NULL UNIQUE, last_name TEXT NOT NULL, first_name TEXT NOT NULL,
            middle_name TEXT, birth_date TEXT, sex TEXT NOT NULL, address_line TEXT, city TEXT, state TEXT, zip TEXT,
            phone TEXT, marital_status TEXT, language TEXT, deceased_date TEXT, unsigned_notes INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS ix_patient_name ON patient (last_name, first_name);
        CREATE INDEX IF NOT EXISTS ix_patient_dob ON patient (birth_date);
        CREATE TABLE IF NOT EXISTS problem (
            id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL REFERENCES patient(id), code TEXT NOT NULL,
            description TEXT NOT NULL, onset_date TEXT, status TEXT NOT NULL, resolved_date TEXT);
        CREATE TABLE IF NOT EXISTS medication (
            id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL REFERENCES patient(id), code TEXT NOT NULL, name TEXT NOT NULL,
            status TEXT NOT NULL, start_date TEXT, sig TEXT, prescriber TEXT);
        CREATE TABLE IF NOT EXISTS allergy (
            id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL REFERENCES patient(id), code TEXT NOT NULL, code_system TEXT NOT NULL,
            substance TEXT NOT NULL, reaction TEXT, criticality TEXT, status TEXT NOT NULL, category TEXT, recorded_date TEXT);
        CREATE TABLE IF NOT EXISTS result (
            id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL REFERENCES patient(id), section TEXT NOT NULL, code TEXT NOT NULL,
            name TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, unit TEXT, value_code TEXT, value_code_system TEXT,
            ref_low TEXT, ref_high TEXT, flag TEXT, effective_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS immunization (
            id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL REFERENCES patient(id), cvx_code TEXT NOT NULL,
            vaccine TEXT NOT NULL, date TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS encounter (
            id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL REFERENCES patient(id), start_at TEXT NOT NULL, end_at TEXT,
            type_code TEXT NOT NULL, type_display TEXT NOT NULL, class TEXT NOT NULL, provider TEXT, provider_npi TEXT,
            reason_code TEXT, reason_display TEXT);
        CREATE TABLE IF NOT EXISTS document (
            id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL REFERENCES patient(id), type TEXT NOT NULL, date TEXT NOT NULL,
            author TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_document_patient ON document (patient_id);
        CREATE INDEX IF NOT EXISTS ix_problem_patient ON problem (patient_id);
        CREATE INDEX IF NOT EXISTS ix_medication_patient ON medication (patient_id);
        CREATE INDEX IF NOT EXISTS ix_allergy_patient ON allergy (patient_id);
        CREATE INDEX IF NOT EXISTS ix_result_patient ON result (patient_id);
        CREATE INDEX IF NOT EXISTS ix_immunization_patient ON immunization (patient_id);
        CREATE INDEX IF NOT EXISTS ix_encounter_patient ON encounter (patient_id);
        """;
}
