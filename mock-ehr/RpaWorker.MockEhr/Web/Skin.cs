namespace RpaWorker.MockEhr.Web;

/*
 * What the "v2" vendor upgrade changes, so a playbook written for v1 breaks the way it would in the field.
 * The data shown is the same; only these differ:
 *
 *   Where                  v1                                   v2
 *   ---------------------  -----------------------------------  -------------------------------------------
 *   login form fields      name/id "username", "password"       name/id "user", "pwd"
 *   login button           "Login"                              "Sign In"
 *   TOTP field, button     name/id "code", "Verify"             name/id "otp", "Continue"
 *   search form fields     "name", "mrn", "dob"; "Search"       "ptname", "mrnum", "birthdt"; "Find Patient"
 *   patient list columns   Name, MRN, DOB, Sex                  Med Rec #, Pt Name, D.O.B., Gender
 *   banner labels          Patient: MRN: DOB: Age: Sex:         Pt Name: Med Rec #: D.O.B.: Yrs: Gender:
 *   demographics labels    Address: City/State/Zip: Phone:      Street: City, ST Zip: Home Ph:
 *                          Marital Status: Language:            Marital: Pref. Language:
 *   problem list columns   Code, Description, Onset, Status,    Status, Problem, SNOMED, Onset Dt, Resolved Dt
 *                          Resolved
 *   medication columns     Code, Medication, Status, Start,     Medication, RxNorm, Sig, Status, Start Dt,
 *                          Sig, Ordered By                      Prescriber
 *   allergies              own tab "Allergies" (iframe)         no tab: shown (same iframe) under the
 *                                                               problem list on tab "Problems/Allergies"
 *   immunizations tab      "Immunizations"                      "Health Maintenance"
 *   other tab titles       Demographics, Problem List,          Pt Info, Problems/Allergies, Meds,
 *                          MEDICATIONS, Vitals, Lab Results,    Flowsheet, Labs, Social History, Encounters,
 *                          Social Hx, Visits, Other Results,    Misc Results, Chart Docs
 *                          Documents
 *   documents tab          "Documents"                          "Chart Docs"
 *   logout link            "Logout"                             "Log Off"
 *   guarantor              not shown                            a "Guarantor" block under the demographics:
 *                                                               Name:, Relationship:, D.O.B: (a parent's date
 *                                                               of birth, see Guarantor.cs)
 *
 * URLs (/chart/{id}?tab=...) and tab keys stay the same: vendors rarely change those, and playbooks
 * that navigate by URL should keep working while the ones that read labels should not.
 */

/// <summary>The labels, field names and orders one layout skin uses.</summary>
internal sealed record Skin
{
    public required bool IsV2 { get; init; }
    public required string UserField { get; init; }
    public required string PasswordField { get; init; }
    public required string LoginButton { get; init; }
    public required string OtpField { get; init; }
    public required string OtpButton { get; init; }
    public required string NameParam { get; init; }
    public required string MrnParam { get; init; }
    public required string DobParam { get; init; }
    public required string SearchButton { get; init; }
    public required string NameLabel { get; init; }
    public required string MrnLabel { get; init; }
    public required string DobLabel { get; init; }
    public required string AgeLabel { get; init; }
    public required string SexLabel { get; init; }
    public required string AddressLabel { get; init; }
    public required string CityLabel { get; init; }
    public required string PhoneLabel { get; init; }
    public required string MaritalLabel { get; init; }
    public required string LanguageLabel { get; init; }
    public required string LogoutText { get; init; }
    /// <summary>Patient list column order, as indexes into the v1 order (Name, MRN, DOB, Sex).</summary>
    public required int[] PatientColumns { get; init; }
    /// <summary>Problem column order, as indexes into the v1 order.</summary>
    public required int[] ProblemColumns { get; init; }
    /// <summary>Medication column order, as indexes into the v1 order.</summary>
    public required int[] MedicationColumns { get; init; }
    /// <summary>Tabs in display order: key and title. Allergies is absent when it sits on the problems tab.</summary>
    public required IReadOnlyList<(string Key, string Title)> Tabs { get; init; }
    public bool AllergiesOnProblemsTab => IsV2;
    /// <summary>Whether the demographics show the patient's <see cref="Guarantor"/>.</summary>
    public bool ShowsGuarantor => IsV2;

    public static Skin For(MockEhrSkin skin) => skin == MockEhrSkin.V2 ? V2 : V1;

    private static readonly Skin V1 = new()
    {
        IsV2 = false,
        UserField = "username",
        PasswordField = "password",
        LoginButton = "Login",
        OtpField = "code",
        OtpButton = "Verify",
        NameParam = "name",
        MrnParam = "mrn",
        DobParam = "dob",
        SearchButton = "Search",
        NameLabel = "Patient:",
        MrnLabel = "MRN:",
        DobLabel = "DOB:",
        AgeLabel = "Age:",
        SexLabel = "Sex:",
        AddressLabel = "Address:",
        CityLabel = "City/State/Zip:",
        PhoneLabel = "Phone:",
        MaritalLabel = "Marital Status:",
        LanguageLabel = "Language:",
        LogoutText = "Logout",
        PatientColumns = [0, 1, 2, 3],
        ProblemColumns = [0, 1, 2, 3, 4],
        MedicationColumns = [0, 1, 2, 3, 4, 5],
        Tabs =
        [
            ("demographics", "Demographics"), ("problems", "Problem List"), ("medications", "MEDICATIONS"),
            ("allergies", "Allergies"), ("vitals", "Vitals"), ("labs", "Lab Results"), ("social", "Social Hx"),
            ("immunizations", "Immunizations"), ("encounters", "Visits"), ("other", "Other Results"), ("documents", "Documents"),
        ],
    };

    private static readonly Skin V2 = new()
    {
        IsV2 = true,
        UserField = "user",
        PasswordField = "pwd",
        LoginButton = "Sign In",
        OtpField = "otp",
        OtpButton = "Continue",
        NameParam = "ptname",
        MrnParam = "mrnum",
        DobParam = "birthdt",
        SearchButton = "Find Patient",
        NameLabel = "Pt Name:",
        MrnLabel = "Med Rec #:",
        DobLabel = "D.O.B.:",
        AgeLabel = "Yrs:",
        SexLabel = "Gender:",
        AddressLabel = "Street:",
        CityLabel = "City, ST Zip:",
        PhoneLabel = "Home Ph:",
        MaritalLabel = "Marital:",
        LanguageLabel = "Pref. Language:",
        LogoutText = "Log Off",
        PatientColumns = [1, 0, 2, 3],
        ProblemColumns = [3, 1, 0, 2, 4],
        MedicationColumns = [1, 0, 4, 2, 3, 5],
        Tabs =
        [
            ("demographics", "Pt Info"), ("problems", "Problems/Allergies"), ("medications", "Meds"),
            ("vitals", "Flowsheet"), ("labs", "Labs"), ("social", "Social History"),
            ("immunizations", "Health Maintenance"), ("encounters", "Encounters"), ("other", "Misc Results"), ("documents", "Chart Docs"),
        ],
    };

    /// <summary>Picks v1- or v2-titled columns and puts them in this skin's order.</summary>
    public IReadOnlyList<Column<T>> Columns<T>(int[] order, params (string V1, string V2, Func<T, string> Cell)[] v1Columns) =>
        order.Select(i => new Column<T>(IsV2 ? v1Columns[i].V2 : v1Columns[i].V1, v1Columns[i].Cell)).ToList();
}
