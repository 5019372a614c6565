/// The ten contracts of ``SettlementBenchmark``'s workload as contract files, so the storage
/// benchmark files them the way a mediator would and settles what it reads back.
///
/// Same ids, products, prices, measures and portability rules as the workload's contracts
/// built in code: the five worked kinds, each under two portability rules.
enum BenchSettleContracts {
    static var files: [String] {
        let ti = """
            payment: { upfront: 100% }
            measures:
              - id: ti
                kind: transfusionIndependence
                forMonths: 12
                window: { months: 24 }
                graceDays: 60
                missingData: assumeNotMet
            consequences:
              - id: refund
                measure: ti
                when: notMet
                refund: 80%
            """
        let durable = """
            payment: { upfront: 100% }
            measures:
              - id: durable
                kind: responseMaintained
                responses: [complete, partial]
                window: { months: 48 }
                graceDays: 30
                missingData: escalate
            consequences:
              - id: warranty
                measure: durable
                when: notMet
                proRatedRefund: { share: 100%, overMonths: 48 }
            """
        let annuity = """
            payment:
              upfront: 0%
              installments:
                count: 5
                intervalMonths: 12
                firstDueMonths: 0
                stopWhen: [death, { measureNotMet: motor }]
            measures:
              - id: motor
                kind: responseMaintained
                responses: [complete]
                window: { months: 60 }
                graceDays: 30
                missingData: escalate
            """
        let remainder = """
            payment:
              upfront: 50%
              installments:
                count: 1
                intervalMonths: 18
                payableIf: [voe18]
            measures:
              - id: voe18
                kind: noHospitalization
                reason: vaso-occlusive-event
                window: { months: 18 }
                graceDays: 45
                missingData: assumeMet
            """
        let tiers = """
            payment: { upfront: 100% }
            measures:
              - id: voe36
                kind: noHospitalization
                reason: vaso-occlusive-event
                window: { months: 36 }
                graceDays: 30
                missingData: assumeMet
            consequences:
              - { id: tier-0, measure: voe36, when: notMet, failedWithinMonths: { from: 0, to: 12 }, tier: months-0-12, rebate: 75% }
              - { id: tier-12, measure: voe36, when: notMet, failedWithinMonths: { from: 12, to: 24 }, tier: months-12-24, rebate: 62.5% }
              - { id: tier-24, measure: voe36, when: notMet, failedWithinMonths: { from: 24, to: 36 }, tier: months-24-36, rebate: 50% }
            """
        let specs: [(id: String, product: String, price: String, rule: String, body: String, reserve: String?)] = [
            ("ti-stays", "prd-ti", "2800000.00", "staysWithPayingPayer", ti, nil),
            ("ti-follows", "prd-ti", "2800000.00", "followsCurrentPayer", ti, nil),
            ("warranty-follows", "prd-hb", "3500000.00", "followsCurrentPayer", durable, "reserve: { share: 20%, releaseAfterMonths: 49 }"),
            ("warranty-pool", "prd-hb", "3500000.00", "mediatorPool", durable, nil),
            ("annuity-follows", "prd-sma", "2125000.00", "followsCurrentPayer", annuity, nil),
            ("annuity-stays", "prd-sma", "2125000.00", "staysWithPayingPayer", annuity, nil),
            ("remainder-stays", "prd-scd", "3100000.00", "staysWithPayingPayer", remainder, nil),
            ("remainder-pool", "prd-scd", "3100000.00", "mediatorPool", remainder, nil),
            ("tiers-stays", "prd-scd2", "2000000.00", "staysWithPayingPayer", tiers, nil),
            ("response-follows", "prd-cart", "475000.00", "followsCurrentPayer", durable, nil),
        ]
        return specs.map { spec in
            """
            format: curepath.contract/v1
            id: \(spec.id)
            version: 1
            parties:
              manufacturer: mfr-bench
              payers: any
              mediator: curepath
            product: \(spec.product)
            unitPrice: \(spec.price) USD
            effective:
              from: 2025-01-01
            \(spec.body)
            \(spec.reserve ?? "")
            fee: { basisPoints: 25 }
            portability:
              rule: \(spec.rule)
              benefitYears: 5

            """
        }
    }
}
