import CareNetwork
import Contracts
import Core

/// The outcomes-based contracts of the demo network, as the contract files a mediator would
/// receive: one for a CAR-T (payment only for a response at day 30, as offered for
/// pediatric ALL), one confirmed-benefit arrangement and one set of Medicaid outcome tiers
/// for the sickle cell gene therapies. Written against the demo's products and payers so a
/// first `curepath serve` settles real-looking units.
public enum DemoContracts {
    /// The contract files, in filing order.
    public static let files: [String] = [kymriahResponse, lyfgeniaBenefit, casgevyMedicaidTiers]

    /// The parsed terms of ``files``; the files are part of the program, so a failure is a defect.
    public static var terms: [ContractTerms] {
        files.map { file in
            do {
                return try ContractFile.parse(file)
            } catch {
                preconditionFailure("a demo contract file does not parse: \(error)")
            }
        }
    }

    static let kymriahResponse = """
        # Kymriah for pediatric and young adult ALL: the payer pays only for patients who respond
        # by the end of the first month (complete remission, with or without count recovery).
        format: curepath.contract/v1
        id: kymriah-response
        version: 1
        title: Kymriah - pay for response at day 30
        parties:
          manufacturer: mfr-novartis
          payers: any
          mediator: curepath
        product: prd-kymriah
        unitPrice: 475000.00 USD
        effective:
          from: 2024-01-01
        payment:
          upfront: 100%
        measures:
          - id: response-day-30
            kind: responseBy
            responses: [complete, partial]
            window: { days: 30 }
            graceDays: 15
            missingData: assumeNotMet
        consequences:
          - id: no-response-refund
            measure: response-day-30
            when: notMet
            refund: 100%
        fee: { basisPoints: 25, paidBy: manufacturer }
        portability: staysWithPayingPayer

        """

    static let lyfgeniaBenefit = """
        # Lyfgenia for sickle cell disease: half at infusion, the rest at month 18 only if there
        # was no hospitalization for a vaso-occlusive event.
        format: curepath.contract/v1
        id: lyfgenia-benefit
        version: 1
        title: Lyfgenia - remainder at month 18 if no vaso-occlusive hospitalization
        parties:
          manufacturer: mfr-bluebird
          payers: any
          mediator: curepath
        product: prd-lyfgenia
        unitPrice: 3100000.00 USD
        effective:
          from: 2024-01-01
        payment:
          upfront: 50%
          installments:
            count: 1
            intervalMonths: 18
            payableIf: [no-voe-18m]
        measures:
          - id: no-voe-18m
            kind: noHospitalization
            reason: vaso-occlusive-event
            window: { months: 18 }
            graceDays: 45
            missingData: escalate
        fee: { basisPoints: 25, paidBy: manufacturer }
        portability: staysWithPayingPayer

        """

    static let casgevyMedicaidTiers = """
        # Casgevy for Medicaid members with sickle cell disease: a guaranteed lower net price
        # depending on the year of a first vaso-occlusive hospitalization (one best price per
        # tier), with value following the member when they change Medicaid programs.
        format: curepath.contract/v1
        id: casgevy-medicaid-tiers
        version: 1
        title: Casgevy - Medicaid net price tiers by year of hospitalization
        parties:
          manufacturer: mfr-vertex
          payers: [pay-oh-medicaid, pay-tx-medicaid, pay-ca-medicaid]
          mediator: curepath
        product: prd-casgevy
        unitPrice: 2200000.00 USD
        effective:
          from: 2024-01-01
        payment:
          upfront: 100%
        measures:
          - id: no-voe
            kind: noHospitalization
            reason: vaso-occlusive-event
            window: { months: 36 }
            graceDays: 30
            missingData: assumeMet
        consequences:
          - id: tier-year-1
            measure: no-voe
            when: notMet
            failedWithinMonths: { from: 0, to: 12 }
            tier: year-1
            rebate: 75%
          - id: tier-year-2
            measure: no-voe
            when: notMet
            failedWithinMonths: { from: 12, to: 24 }
            tier: year-2
            rebate: 62.5%
          - id: tier-year-3
            measure: no-voe
            when: notMet
            failedWithinMonths: { from: 24, to: 36 }
            tier: year-3
            rebate: 50%
        fee: { basisPoints: 25, paidBy: manufacturer }
        portability:
          rule: mediatorPool
          benefitYears: 3

        """
}
