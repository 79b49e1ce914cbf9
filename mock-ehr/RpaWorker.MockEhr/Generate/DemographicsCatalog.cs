namespace RpaWorker.MockEhr.Generate;

internal sealed record PlaceDef(string City, string State, string Zip);

/// <summary>Name and address pools. Names are stored in the case people write them, as real registrations are.</summary>
internal static class DemographicsCatalog
{
    // "Smith" is kept out of the pool so the two deliberate "SMITH, JOHN" charts are the only exact pair.
    public static readonly string[] LastNames =
    [
        "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia", "Rodriguez", "Wilson", "Martinez",
        "Anderson", "Taylor", "Thomas", "Hernandez", "Moore", "Martin", "Jackson", "Thompson", "White", "Lopez",
        "Lee", "Gonzalez", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Perez", "Hall", "Young",
        "Allen", "Sanchez", "Wright", "King", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill",
        "Ramirez", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Torres", "Parker",
        "Collins", "Edwards", "Stewart", "Flores", "Morris", "Murphy", "Rivera", "Cook", "Rogers", "Morgan",
        "Peterson", "Cooper", "Reed", "Bailey", "Bell", "Gomez", "Kelly", "Howard", "Ward", "Cox",
        "Diaz", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "James", "Reyes", "Cruz",
        "Hughes", "Price", "Myers", "Long", "Foster", "Sanders", "Ross", "Morales", "Powell", "Sullivan",
        "Kassulke", "Schowalter", "Kuhlman", "Nguyen", "Tran", "Kim", "Park", "Chen", "Wang", "Patel",
    ];

    public static readonly string[] MaleFirstNames =
    [
        "James", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles", "Christopher",
        "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua", "Kenneth",
        "Kevin", "Brian", "George", "Timothy", "Ronald", "Edward", "Jason", "Jeffrey", "Ryan", "Jacob",
        "Gary", "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin",
        "Samuel", "Gregory", "Frank", "Raymond", "Alexander", "Patrick", "Jack", "Dennis", "Jerry", "Tyler",
        "Carlos", "Luis", "Minh", "Wei", "Hiroshi", "Omar", "Andre", "Marcus", "Dmitri", "Rahul",
    ];

    public static readonly string[] FemaleFirstNames =
    [
        "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
        "Lisa", "Nancy", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle",
        "Carol", "Amanda", "Dorothy", "Melissa", "Deborah", "Stephanie", "Rebecca", "Sharon", "Laura", "Cynthia",
        "Kathleen", "Amy", "Angela", "Shirley", "Anna", "Brenda", "Pamela", "Emma", "Nicole", "Helen",
        "Samantha", "Katherine", "Christine", "Debra", "Rachel", "Carolyn", "Janet", "Catherine", "Maria", "Heather",
        "Rosa", "Lan", "Mei", "Yuki", "Fatima", "Aaliyah", "Priya", "Olga", "Keisha", "Ana",
    ];

    public static readonly string[] MiddleInitials = ["A", "B", "C", "D", "E", "J", "L", "M", "R", "T"];

    public static readonly string[] ApostropheLastNames = ["O'Brien", "O'Connor", "D'Angelo", "O'Neil", "D'Souza", "O'Malley"];

    public static readonly string[] HyphenatedLastNames =
        ["Smith-Jones", "Garcia-Lopez", "Williams-Brown", "Lee-Chen", "Taylor-Reed", "Martin-Okafor"];

    /// <summary>Names outside ASCII, each with the language its bearer most likely prefers.</summary>
    public static readonly (string Last, string First, string Sex, string Language)[] NonAsciiNames =
    [
        ("Núñez", "José", "M", "es"),
        ("Nguyễn", "Thị Lan", "F", "vi"),
        ("Jørgensen", "Søren", "M", "da"),
        ("Brontë", "Zoë", "F", "en"),
        ("Müller", "Jürgen", "M", "de"),
        ("Çelik", "Ayşe", "F", "tr"),
        ("Peña", "María", "F", "es"),
        ("Lefèvre", "Hélène", "F", "fr"),
    ];

    public static readonly string[] Streets =
    [
        "Main", "Oak", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Pine", "Park",
        "Walnut", "Sunset", "Highland", "Jefferson", "Franklin", "River", "Chestnut", "Spruce", "Lincoln", "Church",
    ];

    public static readonly string[] StreetSuffixes = ["St", "Ave", "Rd", "Blvd", "Ln", "Dr", "Ct", "Way"];

    public static readonly PlaceDef[] Places =
    [
        new("Springfield", "MA", "01103"), new("Boston", "MA", "02118"), new("Worcester", "MA", "01608"),
        new("Providence", "RI", "02903"), new("Hartford", "CT", "06103"), new("Brooklyn", "NY", "11201"),
        new("Philadelphia", "PA", "19107"), new("Baltimore", "MD", "21201"), new("Atlanta", "GA", "30303"),
        new("Miami", "FL", "33130"), new("Orlando", "FL", "32801"), new("Nashville", "TN", "37203"),
        new("Columbus", "OH", "43215"), new("Chicago", "IL", "60607"), new("Minneapolis", "MN", "55401"),
        new("Houston", "TX", "77002"), new("Austin", "TX", "78701"), new("Denver", "CO", "80202"),
        new("Phoenix", "AZ", "85004"), new("Los Angeles", "CA", "90012"), new("San Jose", "CA", "95112"),
        new("Portland", "OR", "97205"), new("Seattle", "WA", "98104"), new("Honolulu", "HI", "96813"),
    ];

    public static readonly string[] OtherLanguages = ["es", "es", "es", "vi", "zh", "ko", "ru", "ar", "pt", "fr", "ht", "tl"];

    public static readonly string[] MaritalStatuses = ["M", "M", "M", "S", "S", "D", "W"];
}
