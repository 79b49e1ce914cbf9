using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Generate;

/// <summary>A problem the generator can give a patient. Chronic ones stay active; acute ones resolve.</summary>
internal sealed record ProblemDef(string Code, string Display, bool Chronic, int MinAge, double Weight, string[] MedCodes);

internal sealed record MedDef(string RxNorm, string Name, string[] Sigs);

internal sealed record AllergyDef(string Code, string Substance, string Category, string[] Reactions);

internal sealed record VaccineDef(string Cvx, string Name);

internal sealed record EncounterTypeDef(string Code, string Display, string Class);

/// <summary>A lab analyte: typical adult mean and spread in the unit <see cref="Data.LabCatalog"/> ranges use.</summary>
internal sealed record LabDef(string Loinc, string Name, string Unit, double Mean, double Sd, int Decimals);

internal sealed record ProviderDef(string Name, string Npi);

/// <summary>Real code systems' codes and displays, chosen to look like what a primary-care EHR holds.</summary>
internal static class ClinicalCatalog
{
    public const string Snomed = CodeSystems.Snomed;
    public const string RxNormSystem = CodeSystems.RxNorm;

    // Well-known codes the generator refers to by name.
    public const string Hypertension = "38341003";
    public const string Diabetes = "44054006";
    public const string Prediabetes = "15777000";
    public const string Asthma = "195967001";
    public const string Hyperlipidemia = "55822004";
    public const string Obesity = "162864005";
    public const string Ckd = "433144002";
    public const string Anemia = "271737000";
    public const string AtrialFibrillation = "49436004";
    public const string HeartFailure = "84114007";
    public const string Copd = "13645005";

    public static readonly ProblemDef[] Chronic =
    [
        new(Hypertension, "Hypertension", true, 25, 30, ["314076", "197361", "310798", "866924"]),
        new(Hyperlipidemia, "Hyperlipidemia", true, 30, 25, ["617310", "312961"]),
        new(Diabetes, "Diabetes mellitus type 2", true, 30, 14, ["861007", "106892"]),
        new(Prediabetes, "Prediabetes", true, 25, 12, []),
        new(Asthma, "Asthma", true, 1, 9, ["745679", "895994"]),
        new(Obesity, "Body mass index 30+ - obesity", true, 18, 15, []),
        new("40930008", "Hypothyroidism", true, 20, 7, ["966222"]),
        new("235595009", "Gastroesophageal reflux disease", true, 18, 8, ["198053"]),
        new("35489007", "Depressive disorder", true, 14, 8, ["312938", "310385"]),
        new("197480006", "Anxiety disorder", true, 14, 7, ["310385"]),
        new("239873007", "Osteoarthritis of knee", true, 45, 8, ["849574", "313782"]),
        new("278860009", "Chronic low back pain", true, 25, 6, ["313782"]),
        new(Copd, "Chronic obstructive lung disease", true, 45, 4, ["745679", "895994"]),
        new(AtrialFibrillation, "Atrial fibrillation", true, 55, 3, ["855332", "866924"]),
        new("53741008", "Coronary arteriosclerosis", true, 50, 4, ["309362", "243670"]),
        new(HeartFailure, "Heart failure", true, 60, 2, ["313988"]),
        new(Ckd, "Chronic kidney disease stage 3", true, 50, 3, []),
        new(Anemia, "Anemia", true, 10, 4, ["310325"]),
        new("90560007", "Gout", true, 35, 3, ["197319"]),
        new("37796009", "Migraine", true, 12, 5, ["849574"]),
        new("446096008", "Perennial allergic rhinitis", true, 5, 6, ["1014676"]),
        new("73430006", "Sleep apnea", true, 35, 3, []),
        new("64859006", "Osteoporosis", true, 55, 3, []),
        new("69896004", "Rheumatoid arthritis", true, 25, 1, []),
        new("230690007", "Cerebrovascular accident", true, 60, 1, ["309362"]),
        new("26929004", "Alzheimer's disease", true, 70, 1, []),
        new("84757009", "Epilepsy", true, 5, 1, []),
        new("24079001", "Atopic dermatitis", true, 1, 3, ["106258"]),
        new("68496003", "Polyp of colon", true, 45, 2, []),
        new("254837009", "Malignant neoplasm of breast", true, 40, 1, []),
    ];

    public static readonly ProblemDef[] Acute =
    [
        new("444814009", "Viral sinusitis", false, 0, 10, []),
        new("195662009", "Acute viral pharyngitis", false, 0, 8, []),
        new("10509002", "Acute bronchitis", false, 0, 8, []),
        new("43878008", "Streptococcal sore throat", false, 0, 4, ["834060"]),
        new("65363002", "Otitis media", false, 0, 3, ["308182"]),
        new("68566005", "Urinary tract infectious disease", false, 0, 5, ["562251"]),
        new("233604007", "Pneumonia", false, 0, 2, ["562251"]),
        new("840539006", "COVID-19", false, 0, 4, []),
        new("44465007", "Sprain of ankle", false, 0, 4, ["310965"]),
        new("70704007", "Sprain of wrist", false, 0, 2, ["310965"]),
        new("283371005", "Laceration of forearm", false, 0, 2, []),
        new("16114001", "Fracture of ankle", false, 0, 1, ["1049221"]),
        new("62106007", "Concussion with no loss of consciousness", false, 0, 1, []),
        new("25064002", "Headache", false, 0, 3, ["310965"]),
        new("36971009", "Sinusitis", false, 0, 3, ["308182"]),
    ];

    /// <summary>Acute problems serious enough for a hospital admission.</summary>
    public static readonly ProblemDef[] AdmissionReasons =
        [.. Acute.Where(p => p.Code is "233604007" or "840539006" or "16114001" or "62106007")];

    public static readonly IReadOnlyDictionary<string, MedDef> Medications = new MedDef[]
    {
        new("314076", "Lisinopril 10 MG Oral Tablet", ["Take 1 tablet by mouth once daily.", "Take 1 tablet (10 mg) by mouth every morning. Hold if lightheaded."]),
        new("197361", "Amlodipine 5 MG Oral Tablet", ["Take 1 tablet by mouth once daily."]),
        new("310798", "Hydrochlorothiazide 25 MG Oral Tablet", ["Take 1 tablet by mouth every morning."]),
        new("866924", "Metoprolol Tartrate 25 MG Oral Tablet", ["Take 1 tablet by mouth twice daily.", "Take 1 tablet by mouth every 12 hours. Do not stop suddenly."]),
        new("617310", "Atorvastatin 20 MG Oral Tablet", ["Take 1 tablet by mouth at bedtime."]),
        new("312961", "Simvastatin 20 MG Oral Tablet", ["Take 1 tablet by mouth every evening."]),
        new("861007", "Metformin Hydrochloride 500 MG Oral Tablet", ["Take 1 tablet by mouth twice daily with meals.", "Take 2 tablets by mouth with the evening meal."]),
        new("106892", "Insulin Isophane Human 70 UNT/ML / Insulin Regular Human 30 UNT/ML Injectable Suspension", ["Inject 20 units under the skin twice daily before breakfast and dinner."]),
        new("745679", "200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler", ["Inhale 2 puffs by mouth every 4 to 6 hours as needed for wheezing or shortness of breath."]),
        new("895994", "120 ACTUAT Fluticasone Propionate 0.044 MG/ACTUAT Metered Dose Inhaler", ["Inhale 2 puffs by mouth twice daily. Rinse mouth after use."]),
        new("966222", "Levothyroxine Sodium 0.075 MG Oral Tablet", ["Take 1 tablet by mouth every morning on an empty stomach."]),
        new("198053", "Omeprazole 20 MG Delayed Release Oral Capsule", ["Take 1 capsule by mouth daily before breakfast."]),
        new("312938", "Sertraline 100 MG Oral Tablet", ["Take 1 tablet by mouth once daily."]),
        new("310385", "Fluoxetine 20 MG Oral Capsule", ["Take 1 capsule by mouth every morning."]),
        new("849574", "Naproxen Sodium 220 MG Oral Tablet", ["Take 1 tablet by mouth every 8 to 12 hours as needed for pain. Take with food."]),
        new("313782", "Acetaminophen 325 MG Oral Tablet", ["Take 2 tablets by mouth every 6 hours as needed for pain. Max 3000 mg per day."]),
        new("855332", "Warfarin Sodium 5 MG Oral Tablet", ["Take 1 tablet by mouth daily or as directed by the anticoagulation clinic."]),
        new("309362", "Clopidogrel 75 MG Oral Tablet", ["Take 1 tablet by mouth once daily."]),
        new("243670", "Aspirin 81 MG Oral Tablet", ["Take 1 tablet by mouth once daily."]),
        new("313988", "Furosemide 40 MG Oral Tablet", ["Take 1 tablet by mouth every morning. Weigh yourself daily."]),
        new("310325", "Ferrous Sulfate 325 MG Oral Tablet", ["Take 1 tablet by mouth daily with orange juice."]),
        new("197319", "Allopurinol 100 MG Oral Tablet", ["Take 1 tablet by mouth once daily."]),
        new("1014676", "Cetirizine Hydrochloride 5 MG Oral Tablet", ["Take 1 tablet by mouth once daily as needed for allergies."]),
        new("834060", "Penicillin V Potassium 250 MG Oral Tablet", ["Take 1 tablet by mouth 4 times daily for 10 days."]),
        new("308182", "Amoxicillin 250 MG Oral Capsule", ["Take 2 capsules by mouth 3 times daily for 10 days."]),
        new("562251", "Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet", ["Take 1 tablet by mouth every 8 hours for 7 days."]),
        new("310965", "Ibuprofen 200 MG Oral Tablet", ["Take 2 tablets by mouth every 6 hours as needed for pain. Take with food."]),
        new("1049221", "Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet", ["Take 1 tablet by mouth every 6 hours as needed for severe pain. Do not drive."]),
        new("106258", "Hydrocortisone 10 MG/ML Topical Cream", ["Apply a thin layer to affected area twice daily."]),
        new("312617", "Prednisone 5 MG Oral Tablet", ["Take as directed."]),
    }.ToDictionary(m => m.RxNorm, StringComparer.Ordinal);

    public static readonly AllergyDef[] Allergies =
    [
        new("373270004", "Penicillin", "medication", ["Hives", "Rash", "Anaphylaxis"]),
        new("372687004", "Amoxicillin", "medication", ["Rash", "Hives", "Diarrhea"]),
        new("387458008", "Aspirin", "medication", ["Wheezing", "Hives"]),
        new("387207008", "Ibuprofen", "medication", ["Angioedema", "Hives"]),
        new("387494007", "Codeine", "medication", ["Nausea", "Itching"]),
        new("373529000", "Morphine", "medication", ["Itching", "Nausea"]),
        new("111088007", "Latex", "environment", ["Rash", "Itching", "Anaphylaxis"]),
        new("256259004", "Pollen", "environment", ["Sneezing", "Itchy watery eyes"]),
        new("264287008", "Animal dander", "environment", ["Sneezing", "Wheezing"]),
        new("256349002", "Peanut", "food", ["Anaphylaxis", "Hives", "Swelling of lips"]),
        new("102263004", "Eggs", "food", ["Hives", "Vomiting"]),
        new("3718001", "Cow's milk", "food", ["Diarrhea", "Abdominal pain"]),
        new("44027008", "Seafood", "food", ["Hives", "Anaphylaxis"]),
        new("227493005", "Cashew nut", "food", ["Swelling of lips", "Hives"]),
        new("288328004", "Bee venom", "biologic", ["Anaphylaxis", "Swelling"]),
    ];

    public static readonly VaccineDef Influenza = new("140", "Influenza, seasonal, injectable, preservative free");
    public static readonly VaccineDef Td = new("113", "Td (adult) preservative free");
    public static readonly VaccineDef Tdap = new("115", "Tdap");
    public static readonly VaccineDef Pcv13 = new("133", "Pneumococcal conjugate PCV 13");
    public static readonly VaccineDef Ppsv23 = new("33", "Pneumococcal polysaccharide vaccine, 23 valent");
    public static readonly VaccineDef Covid = new("208", "SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose");
    public static readonly VaccineDef Zoster = new("187", "Zoster vaccine recombinant");
    public static readonly VaccineDef HepB = new("43", "Hep B, adult");

    public static readonly EncounterTypeDef CheckUp = new("185349003", "Encounter for check up", "AMB");
    public static readonly EncounterTypeDef FollowUp = new("390906007", "Follow-up encounter", "AMB");
    public static readonly EncounterTypeDef Symptom = new("185345009", "Encounter for symptom", "AMB");
    public static readonly EncounterTypeDef UrgentCare = new("702927004", "Urgent care clinic", "AMB");
    public static readonly EncounterTypeDef Emergency = new("50849002", "Emergency room admission", "EMER");
    public static readonly EncounterTypeDef Admission = new("32485007", "Hospital admission", "IMP");

    public static readonly LabDef[] Cbc =
    [
        new("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", 14.2, 1.4, 1),
        new("4544-3", "Hematocrit [Volume Fraction] of Blood by Automated count", "%", 42, 4, 1),
        new("6690-2", "Leukocytes [#/volume] in Blood by Automated count", "10*3/uL", 7.2, 1.9, 1),
        new("789-8", "Erythrocytes [#/volume] in Blood by Automated count", "10*6/uL", 4.8, 0.45, 2),
        new("787-2", "MCV [Entitic volume] by Automated count", "fL", 90, 5, 1),
        new("785-6", "MCH [Entitic mass] by Automated count", "pg", 30, 1.8, 1),
        new("786-4", "MCHC [Mass/volume] by Automated count", "g/dL", 34, 1.1, 1),
        new("777-3", "Platelets [#/volume] in Blood by Automated count", "10*3/uL", 260, 60, 0),
    ];

    public static readonly LabDef[] MetabolicPanel =
    [
        new("2339-0", "Glucose [Mass/volume] in Blood", "mg/dL", 90, 10, 0),
        new("6299-2", "Urea nitrogen [Mass/volume] in Blood", "mg/dL", 14, 4, 0),
        new("38483-4", "Creatinine [Mass/volume] in Blood", "mg/dL", 0.95, 0.2, 2),
        new("49765-1", "Calcium [Mass/volume] in Blood", "mg/dL", 9.4, 0.4, 1),
        new("2947-0", "Sodium [Moles/volume] in Blood", "mmol/L", 140, 2.5, 0),
        new("6298-4", "Potassium [Moles/volume] in Blood", "mmol/L", 4.2, 0.4, 1),
        new("2069-3", "Chloride [Moles/volume] in Blood", "mmol/L", 103, 2.5, 0),
        new("20565-8", "Carbon dioxide, total [Moles/volume] in Blood", "mmol/L", 25, 2.2, 0),
        new("33914-3", "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)", "mL/min/{1.73_m2}", 88, 14, 0),
    ];

    public static readonly LabDef[] LipidPanel =
    [
        new("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", 185, 25, 0),
        new("2571-8", "Triglyceride [Mass/volume] in Serum or Plasma", "mg/dL", 125, 35, 0),
        new("18262-6", "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay", "mg/dL", 105, 22, 0),
        new("2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma", "mg/dL", 52, 11, 0),
    ];

    public static readonly LabDef[] HepaticPanel =
    [
        new("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "U/L", 26, 10, 0),
        new("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "U/L", 24, 8, 0),
        new("6768-6", "Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma", "U/L", 80, 22, 0),
        new("2885-2", "Protein [Mass/volume] in Serum or Plasma", "g/dL", 7.1, 0.5, 1),
        new("1751-7", "Albumin [Mass/volume] in Serum or Plasma", "g/dL", 4.3, 0.35, 1),
        new("1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma", "mg/dL", 0.6, 0.25, 1),
    ];

    public static readonly LabDef HbA1c = new("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", 5.3, 0.3, 1);
    public static readonly LabDef Microalbumin = new("14959-1", "Microalbumin/Creatinine [Mass Ratio] in Urine", "mg/g", 18, 12, 1);
    public static readonly LabDef NtProBnp = new("33762-6", "NT-proBNP [Mass/volume] in Serum or Plasma", "pg/mL", 90, 40, 0);

    public static readonly (string Code, string Display)[] SmokingAnswers =
    [
        ("266919005", "Never smoker"),
        ("449868002", "Current every day smoker"),
        ("8517006", "Ex-smoker"),
        ("428041000124106", "Current some day smoker"),
    ];

    public static readonly ProviderDef[] Providers = new[]
    {
        ("KASSULKE, JUNE", "123456789"), ("PATEL, ANJALI", "134567890"), ("MORALES, DIEGO", "145678901"),
        ("CHEN, WEI", "156789012"), ("OKAFOR, CHIDI", "167890123"), ("BERGSTROM, INGRID", "178901234"),
        ("WASHINGTON, DENISE", "189012345"), ("KOWALSKI, PIOTR", "190123456"), ("HALE, MARGARET", "112233445"),
        ("RAMIREZ, LUIS", "122334455"), ("NAKAMURA, KENJI", "133445566"), ("FITZGERALD, ROSE", "144556677"),
        ("ABERNATHY, PAUL", "155667788"), ("SINGH, HARPREET", "166778899"), ("DUBOIS, CLAIRE", "177889900"),
        ("MENSAH, KWAME", "188990011"),
    }.Select(p => new ProviderDef(p.Item1, p.Item2 + NpiCheckDigit(p.Item2))).ToArray();

    /// <summary>
    /// The NPI check digit: Luhn over the 9-digit identifier prefixed with 80840, so the numbers pass
    /// the same validation a real downstream system would apply.
    /// </summary>
    internal static int NpiCheckDigit(string nineDigits)
    {
        var payload = "80840" + nineDigits;
        var sum = 0;
        var doubleIt = true;
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var d = payload[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (10 - (sum % 10)) % 10;
    }
}
