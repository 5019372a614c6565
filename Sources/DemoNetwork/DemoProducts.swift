import Core
import CareNetwork

/// A demo product with the manufacturing and patient-mix figures the generator samples from.
struct DemoProduct: Sendable {
    var product: Product
    /// Share of manufacturing lots that fail release (the case is then lost): 1–8% per lot
    /// by product (brief, "More published figures"); where one figure per product is not
    /// published the value is an assumption within that range.
    var manufacturingFailureRate: Double
    /// Median days from apheresis to infusion ("vein to vein") for CAR-T products: axi-cel
    /// ≈ 27–30 (US), tisa-cel ≈ 43–48, liso-cel ≈ 36 (brief); the others are assumptions
    /// consistent with 14–25 days of manufacturing. `nil` for gene therapies, whose
    /// post-release wait is admission for myeloablative conditioning.
    var veinToVeinMedianDays: Int?
    /// Relative share of the network's referrals (an assumption resembling US volumes).
    var referralShare: Double
    /// Age at referral of the product's typical patients.
    var ages: AgeProfile

    var isGeneTherapy: Bool { product.modality == .exVivoGeneTherapy }

    /// How old a product's patients are at referral.
    enum AgeProfile: Sendable {
        /// Adults with lymphoma or myeloma: normal around a mean, clamped.
        case adults(mean: Double, standardDeviation: Double, range: ClosedRange<Int>)
        /// Adults plus a share of children and young adults with B-cell ALL (tisa-cel is
        /// approved for patients up to 25).
        case mixed(youngShare: Double, young: ClosedRange<Int>, adultMean: Double, adultDeviation: Double)
        /// Adolescents and young adults with sickle cell disease or thalassemia (12 and older).
        case adolescentsAndYoungAdults(range: ClosedRange<Int>, mode: Double)
    }
}

extension DemoProduct {
    /// The seven CAR-T products at US list price and two ex vivo gene therapies (list prices
    /// from the brief). `typicalManufacturingDays` is apheresis to release: 14–25 days for
    /// CAR-T (brief); for gene therapies the manufacturing and release testing after the
    /// final collection, which with mobilization cycles makes the 60–90 days before release.
    static let all: [DemoProduct] = [
        make("prd-kymriah", "Kymriah", "tisagenlecleucel", "Novartis", .carT, dollars: 475_000, manufacturing: 23,
             indications: "Relapsed or refractory B-cell ALL (patients up to 25 years); large B-cell and follicular lymphoma",
             failure: 0.07, veinToVein: 45, share: 0.08,
             ages: .mixed(youngShare: 0.3, young: 3...25, adultMean: 60, adultDeviation: 11)),
        make("prd-yescarta", "Yescarta", "axicabtagene ciloleucel", "Kite (Gilead)", .carT, dollars: 373_000,
             manufacturing: 17, indications: "Large B-cell lymphoma (second line and later); follicular lymphoma",
             failure: 0.02, veinToVein: 28, share: 0.27,
             ages: .adults(mean: 61, standardDeviation: 11, range: 19...85)),
        make("prd-tecartus", "Tecartus", "brexucabtagene autoleucel", "Kite (Gilead)", .carT, dollars: 373_000,
             manufacturing: 16, indications: "Relapsed or refractory mantle cell lymphoma; adult B-cell ALL",
             failure: 0.04, veinToVein: 30, share: 0.06,
             ages: .adults(mean: 63, standardDeviation: 10, range: 19...85)),
        make("prd-breyanzi", "Breyanzi", "lisocabtagene maraleucel", "Bristol Myers Squibb", .carT, dollars: 487_477,
             manufacturing: 24, indications: "Large B-cell lymphoma; CLL/SLL; follicular and mantle cell lymphoma",
             failure: 0.02, veinToVein: 36, share: 0.15,
             ages: .adults(mean: 63, standardDeviation: 11, range: 19...86)),
        make("prd-abecma", "Abecma", "idecabtagene vicleucel", "Bristol Myers Squibb", .carT, dollars: 419_500,
             manufacturing: 24, indications: "Relapsed or refractory multiple myeloma after two or more lines",
             failure: 0.03, veinToVein: 38, share: 0.06,
             ages: .adults(mean: 64, standardDeviation: 9, range: 35...85)),
        make("prd-carvykti", "Carvykti", "ciltacabtagene autoleucel", "Janssen (Legend Biotech)", .carT,
             dollars: 465_000, manufacturing: 25,
             indications: "Relapsed or refractory multiple myeloma after one or more lines",
             failure: 0.08, veinToVein: 42, share: 0.17,
             ages: .adults(mean: 63, standardDeviation: 9, range: 35...85)),
        make("prd-aucatzyl", "Aucatzyl", "obecabtagene autoleucel", "Autolus", .carT, dollars: 525_000,
             manufacturing: 20, indications: "Relapsed or refractory adult B-cell ALL",
             failure: 0.05, veinToVein: 34, share: 0.04,
             ages: .adults(mean: 47, standardDeviation: 15, range: 18...80)),
        make("prd-casgevy", "Casgevy", "exagamglogene autotemcel", "Vertex (CRISPR Therapeutics)", .exVivoGeneTherapy,
             dollars: 2_200_000, manufacturing: 52,
             indications: "Sickle cell disease with recurrent vaso-occlusive crises; transfusion-dependent beta-thalassemia (12 and older)",
             failure: 0.03, veinToVein: nil, share: 0.10,
             ages: .adolescentsAndYoungAdults(range: 12...45, mode: 20)),
        make("prd-lyfgenia", "Lyfgenia", "lovotibeglogene autotemcel", "bluebird bio", .exVivoGeneTherapy,
             dollars: 3_100_000, manufacturing: 60,
             indications: "Sickle cell disease with a history of vaso-occlusive events (12 and older)",
             failure: 0.04, veinToVein: nil, share: 0.07,
             ages: .adolescentsAndYoungAdults(range: 12...45, mode: 19)),
    ]

    private static func make(
        _ id: String, _ name: String, _ generic: String, _ manufacturer: String, _ modality: Modality,
        dollars: Int64, manufacturing: Int, indications: String, failure: Double, veinToVein: Int?, share: Double,
        ages: AgeProfile
    ) -> DemoProduct {
        DemoProduct(
            product: Product(
                id: ProductID(id), name: name, genericName: generic, manufacturer: manufacturer, modality: modality,
                listPrice: Money(dollars: dollars), journeyTemplate: modality == .carT ? "car-t" : "gene-therapy",
                typicalManufacturingDays: manufacturing, indications: indications
            ),
            manufacturingFailureRate: failure,
            veinToVeinMedianDays: veinToVein,
            referralShare: share,
            ages: ages
        )
    }
}

extension DemoProduct.AgeProfile {
    /// Whole years of age at referral.
    func draw(_ rng: inout SeededGenerator) -> Int {
        switch self {
        case let .adults(mean, deviation, range):
            return rng.normal(mean: mean, standardDeviation: deviation).rounded(clampedTo: range)
        case let .mixed(youngShare, young, adultMean, adultDeviation):
            if rng.bernoulli(youngShare) { return rng.integer(in: young) }
            return rng.normal(mean: adultMean, standardDeviation: adultDeviation).rounded(clampedTo: 26...85)
        case let .adolescentsAndYoungAdults(range, mode):
            return rng.triangular(min: Double(range.lowerBound), mode: mode, max: Double(range.upperBound))
                .rounded(clampedTo: range)
        }
    }
}
