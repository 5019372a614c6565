extension SyntheticPopulation.Vocabulary {
    /// 40 given and 50 family names, equally likely: the 500-person population whose measured
    /// precision and recall docs/linkage.md reports (its numbers depend on these exact lists).
    public static let small = SyntheticPopulation.Vocabulary(
        given: [
            "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
            "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Christopher",
            "Nancy", "Daniel", "Lisa", "Matthew", "Margaret", "Anthony", "Sandra", "Mark", "Ashley", "José", "María", "Zoë",
            "Chloé", "Nguyen", "Aisha", "Omar", "Priya", "Wei", "Fatima",
        ],
        family: [
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
            "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
            "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Müller", "O'Brien", "Kowalski",
            "Dubois", "Rossi", "Patel", "Kim", "Chen", "Ivanov", "Okafor",
        ],
        nicknames: [
            "William": "Bill", "Robert": "Bob", "Elizabeth": "Liz", "James": "Jim", "Michael": "Mike", "Margaret": "Peggy",
            "Thomas": "Tom", "Richard": "Dick", "Joseph": "Joe", "Christopher": "Chris",
        ],
        skewed: false)

    /// 231 given and about 3,500 family names with a long-tailed frequency: a million people drawn
    /// from the small lists would be mostly namesakes, and blocks on name prefixes would hold tens of
    /// thousands of records, which is neither a realistic registry nor a realistic blocking cost.
    /// Family names are 190 common ones plus composed ones (`Bar` + `ford`), so prefixes spread as
    /// real surnames do; some nicknames are in ``Normalization/nicknames`` (recovered by the CLK
    /// path), some are not (Kim, Pat: left as errors).
    public static let large = SyntheticPopulation.Vocabulary(
        given: largeGiven, family: largeFamily,
        nicknames: [
            "William": "Bill", "Robert": "Bob", "Elizabeth": "Liz", "James": "Jim", "Michael": "Mike", "Margaret": "Peggy",
            "Thomas": "Tom", "Richard": "Rick", "Joseph": "Joe", "Christopher": "Chris", "Katherine": "Kate",
            "Anthony": "Tony", "Daniel": "Dan", "Steven": "Steve", "Jennifer": "Jen", "Patricia": "Pat", "Edward": "Ted",
            "Charles": "Chuck", "Nicholas": "Nick", "Samuel": "Sam", "Alexander": "Alex", "Andrew": "Andy",
            "Matthew": "Matt", "Benjamin": "Ben", "Kimberly": "Kim", "Susan": "Sue", "Abigail": "Abby", "David": "Dave",
        ],
        skewed: true)

    static let largeGiven = [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "William", "Elizabeth", "David",
        "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Nancy",
        "Daniel", "Lisa", "Matthew", "Margaret", "Anthony", "Betty", "Mark", "Sandra", "Donald", "Ashley", "Steven",
        "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda",
        "Brian", "Dorothy", "George", "Melissa", "Timothy", "Deborah", "Ronald", "Stephanie", "Edward", "Rebecca",
        "Jason", "Sharon", "Jeffrey", "Laura", "Ryan", "Cynthia", "Jacob", "Kathleen", "Gary", "Amy", "Nicholas",
        "Angela", "Eric", "Shirley", "Jonathan", "Anna", "Stephen", "Brenda", "Larry", "Pamela", "Justin", "Emma",
        "Scott", "Nicole", "Brandon", "Helen", "Benjamin", "Samantha", "Samuel", "Katherine", "Gregory", "Christine",
        "Alexander", "Debra", "Frank", "Rachel", "Patrick", "Carolyn", "Raymond", "Janet", "Jack", "Catherine",
        "Dennis", "Maria", "Jerry", "Heather", "Tyler", "Diane", "Aaron", "Ruth", "Jose", "Julie", "Adam", "Olivia",
        "Nathan", "Joyce", "Henry", "Virginia", "Douglas", "Victoria", "Zachary", "Kelly", "Peter", "Lauren", "Kyle",
        "Christina", "Ethan", "Joan", "Walter", "Evelyn", "Noah", "Judith", "Jeremy", "Megan", "Christian", "Andrea",
        "Keith", "Cheryl", "Roger", "Hannah", "Terry", "Jacqueline", "Gerald", "Martha", "Harold", "Gloria", "Sean",
        "Teresa", "Austin", "Ann", "Carl", "Sara", "Arthur", "Madison", "Lawrence", "Frances", "Dylan", "Kathryn",
        "Jesse", "Janice", "Jordan", "Jean", "Bryan", "Abigail", "Billy", "Alice", "Joe", "Judy", "Bruce", "Sophia",
        "Gabriel", "Grace", "Logan", "Denise", "Albert", "Amber", "Willie", "Doris", "Alan", "Marilyn", "Juan",
        "Danielle", "Wayne", "Beverly", "Elijah", "Isabella", "Randy", "Theresa", "Roy", "Diana", "Vincent", "Natalie",
        "Ralph", "Brittany", "Eugene", "Charlotte", "Russell", "Marie", "Bobby", "Kayla", "Mason", "Alexis", "Philip",
        "Lori", "Louis", "José", "María", "Zoë", "Chloé", "Aisha", "Omar", "Priya", "Wei", "Fatima", "Mohammed",
        "Yuki", "Hiroshi", "Ngozi", "Chinedu", "Ana", "Luis", "Carmen", "Miguel", "Sofía", "Mateo", "Élodie",
        "François", "Björn", "Ingrid", "Łukasz", "Agnieszka", "Dmitri", "Olga", "Ravi", "Anjali", "Minh", "Linh",
    ]

    static let largeFamily: [String] = {
        let common = [
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
            "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams",
            "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips",
            "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales",
            "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly",
            "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James",
            "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers",
            "Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman",
            "Butler", "Henderson", "Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson",
            "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes",
            "Bryant", "Herrera", "Gibson", "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro",
            "Marshall", "Owens", "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells",
            "Vargas", "Henry", "Chen", "Freeman", "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson",
            "Porter", "Hunter", "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Muñoz", "Hunt",
            "Hicks", "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox",
            "Müller", "O'Brien", "Kowalski", "Dubois", "Rossi", "Ivanov", "Okafor", "Nakamura", "Søndergaard", "Łęcki",
        ]
        let roots = [
            "Ab", "Al", "An", "Ar", "Bal", "Bar", "Bel", "Ben", "Ber", "Bla", "Bol", "Bra", "Bro", "Bur", "Cal", "Car",
            "Cas", "Cha", "Chr", "Cla", "Col", "Cor", "Cra", "Cro", "Dal", "Dan", "Dav", "Del", "Den", "Dor", "Dra", "Dun",
            "Ed", "El", "Em", "Er", "Fal", "Far", "Fel", "Fer", "Fin", "Fla", "For", "Fra", "Ful", "Gal", "Gar", "Gil",
            "Gla", "Gol", "Gor", "Gra", "Gre", "Gri", "Hal", "Ham", "Har", "Has", "Hel", "Hen", "Her", "Hol", "Hor", "How",
            "Hun", "Ing", "Jar", "Jen", "Jor", "Kal", "Kar", "Kel", "Ken", "Kin", "Kir", "Kla", "Kor", "Kra", "Lam", "Lan",
            "Lar", "Law", "Lei", "Len", "Lin", "Lor", "Lun", "Mac", "Mal", "Man", "Mar", "Mas", "Mel", "Mer", "Mil", "Mor",
            "Mur", "Nel", "New", "Nor", "Oak", "Ol", "Or", "Os", "Pal", "Par", "Pen", "Per", "Pol", "Pra", "Pri", "Quin",
            "Ram", "Ran", "Ray", "Red", "Rei", "Ren", "Ric", "Rob", "Ros", "Row", "Rus", "Sal", "San", "Sar", "Sch", "Sel",
            "Sha", "She", "Sil", "Sim", "Sla", "Sol", "Sta", "Ste", "Sto", "Str", "Sul", "Sut", "Tal", "Tan", "Tar", "Tay",
            "Tel", "Ter", "Tho", "Tor", "Tra", "Tur", "Val", "Van", "Vel", "Ver", "Vic", "Wal", "War", "Wat", "Wel", "Wes",
            "Whi", "Wil", "Win", "Wol", "Wor", "Yar", "Yor", "Zan", "Zel",
        ]
        let endings = [
            "son", "ton", "man", "ley", "er", "ford", "field", "wood", "berg", "stein", "ski", "ova", "ez", "ini", "elli",
            "ard", "well", "by", "more", "ridge",
        ]
        return common + roots.flatMap { root in endings.map { root + $0 } }
    }()
}
