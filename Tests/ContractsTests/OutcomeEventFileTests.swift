import Foundation
import Testing
import Core
import CareNetwork
import Outcomes

@Suite("Outcome event files")
struct OutcomeEventFileTests {
    let received = day("2027-06-30")

    @Test func aCSVFileBecomesEventsOfEveryKind() throws {
        let csv = """
            id,patient_id,date,kind,reason,test,value,unit,source,recorded_on,corrects
            e1,pat-1,2026-05-01,response-assessment,,,complete,,cibmtr,2026-05-03,
            e2,pat-1,2026-06-01,transfusion,,,,,ctr-a,,
            e3,pat-1,2026-07-01,hospitalization,vaso-occlusive-event,,,,claims,2026-07-02,
            e4,pat-1,2026-08-01,lab-value,,factor-ix-activity,5.25,%,ctr-a,,
            e5,pat-1,2026-09-01,subsequent-therapy,,,,,ctr-a,,
            e6,pat-1,2026-10-01,lost-to-follow-up,,,,,cibmtr,,
            e7,pat-1,2026-11-01,death,,,,,"registry, state",,
            e8,pat-1,2026-07-01,entered-in-error,,,,,claims,2026-12-01,e3

            """
        let events = try OutcomeEventFile.parse(csv, receivedOn: received)
        #expect(events.count == 8)
        #expect(events[0].kind == .responseAssessment && events[0].value == "complete" && events[0].recordedOn == day("2026-05-03"))
        // An event that does not say when it was recorded was learned the day the file came.
        #expect(events[1].recordedOn == received)
        #expect(events[2].kind == .hospitalization(reason: "vaso-occlusive-event"))
        guard case .labValue(let test, let value, let unit) = events[3].kind else { Issue.record("not a lab value"); return }
        #expect(test == "factor-ix-activity" && value == ExactDecimal(significand: 525, scale: 2) && unit == "%")
        #expect(events[6].source == "registry, state")
        #expect(events[7].corrects == "e3")
        // The entered-in-error correction withdraws the hospitalization.
        #expect(!OutcomeHistory.effective(events).contains { $0.id == "e3" || $0.id == "e8" })
        #expect(OutcomeHistory.effective(events, knownOn: day("2026-11-30")).contains { $0.id == "e3" })
    }

    /// A large upload is checked whole, then read again a chunk at a time: the chunks must
    /// be the file's events exactly, whatever falls at a chunk's edge (a byte-order mark,
    /// blank lines, CRLF, a quoted field), and a refused file must be refused with
    /// the very issues a whole read gives.
    @Test func aCSVFileReadInChunksGivesTheEventsAndProblemsOfAWholeRead() throws {
        let csv = "\u{FEFF}id,patient_id,date,kind,reason,test,value,unit,source,recorded_on,corrects\r\n"
            + "e1,pat-1,2026-05-01,response-assessment,,,complete,,cibmtr,2026-05-03,\r\n\r\n"
            + "e2,pat-1,2026-06-01,transfusion,,,,,\"ctr, a\",,\n"
            + "e3,pat-2,2026-07-01,hospitalization,vaso-occlusive-event,,,,claims,2026-07-02,\n\n\n"
            + "e4,pat-1,2026-08-01,lab-value,,factor-ix-activity,5.25,%,ctr-a,,\n"
            + "e5,pat-1,2026-07-01,entered-in-error,,,,,claims,2026-12-01,e3"
        let whole = try OutcomeEventFile.read(Array(csv.utf8), format: .csv, receivedOn: received, vocabulary: nil)
        for size in [1, 2, 3, 10] {
            var chunks = try OutcomeCSVChunks(checking: Array(csv.utf8), receivedOn: received, vocabulary: nil)
            #expect(chunks.count == 5)
            var events: [OutcomeEvent] = []
            while let chunk = chunks.next(upTo: size) {
                #expect(chunk.count <= size)
                events += chunk
            }
            #expect(events == whole.events)
        }

        let bad = csv + "\ne6,pat-1,2026-13-01,transfusion,,,,,ctr-a,,\ne1,pat-1,2026-05-01,transfusion,,,,,ctr-a,,\n"
        let wholeRefusal = try #require(throws: FileValidationError.self) {
            try OutcomeEventFile.read(Array(bad.utf8), format: .csv, receivedOn: received, vocabulary: nil)
        }
        let chunkedRefusal = try #require(throws: FileValidationError.self) {
            try OutcomeCSVChunks(checking: Array(bad.utf8), receivedOn: received, vocabulary: nil)
        }
        #expect(chunkedRefusal == wholeRefusal)
        #expect(chunkedRefusal.issues.map(\.line) == [10, 11])
    }

    @Test func aJSONFileReadsTheSameEventsAndKeepsLabValuesExact() throws {
        let json = """
            {"format": "curepath.outcomes/v1", "events": [
              {"id": "e1", "patientId": "pat-1", "date": "2026-05-01", "kind": "response-assessment", "value": "partial", "source": "cibmtr"},
              {"id": "e2", "patientId": "pat-1", "date": "2026-08-01", "kind": "lab-value", "test": "factor-ix-activity",
               "value": 4.99, "unit": "%", "source": "ctr-a", "recordedOn": "2026-08-02"}
            ]}
            """
        let events = try OutcomeEventFile.parse(json, receivedOn: received)
        #expect(events.count == 2)
        guard case .labValue(_, let value, _) = events[1].kind else { Issue.record("not a lab value"); return }
        // 4.99 stays 4.99: below a 5% threshold, never rounded up by a binary float.
        #expect(value < ExactDecimal(significand: 5, scale: 0))
        #expect(value.description == "4.99")
        // A bare list is accepted too, and round-trips through the API's Codable form.
        let bare = try OutcomeEventFile.parse(Array(try JSONEncoder().encode(events)), receivedOn: received)
        #expect(bare == events)
    }

    @Test func toxicitiesCarryTheirGradeThroughCSVJSONAndCodable() throws {
        let csv = """
            id,patient_id,date,kind,value,grade,source
            t1,pat-1,2026-05-03,crs,,2,ctr-a
            t2,pat-1,2026-05-06,icans,,3,ctr-a
            t3,pat-1,2026-06-01,infection,viral,,ctr-a
            t4,pat-1,2026-06-20,infection,bacterial,4,ctr-a

            """
        let events = try OutcomeEventFile.parse(csv, receivedOn: received)
        #expect(events.map(\.kind) == [.cytokineReleaseSyndrome(grade: 2), .neurotoxicity(grade: 3), .infection(grade: nil), .infection(grade: 4)])
        #expect(events[2].value == "viral")
        #expect(events.map(\.kind.code.rawValue) == ["crs", "icans", "infection", "infection"])
        // JSON writes the grade as a number and reads it back; the Codable form agrees.
        let json = try JSONEncoder().encode(events)
        #expect(String(decoding: json, as: UTF8.self).contains(#""grade":3"#))
        #expect(try OutcomeEventFile.parse(Array(json), receivedOn: received) == events)
        #expect(try JSONDecoder().decode([OutcomeEvent].self, from: json) == events)
    }

    @Test func aGradeThatIsMissingOutOfRangeOrMisplacedIsNamed() {
        let csv = """
            id,patient_id,date,kind,value,grade,source
            t1,pat-1,2026-05-03,crs,,,ctr-a
            t2,pat-1,2026-05-06,icans,,6,ctr-a
            t3,pat-1,2026-06-01,infection,,severe,ctr-a
            t4,pat-1,2026-06-20,transfusion,,2,ctr-a
            """
        #expect {
            _ = try OutcomeEventFile.parse(csv, receivedOn: received)
        } throws: { error in
            guard let error = error as? FileValidationError else { return false }
            #expect(Set(error.issues.map { "\($0.line ?? 0) \($0.path)" }) == ["2 grade", "3 grade", "4 grade", "5 grade"], "got \(error)")
            #expect(error.issues.contains { $0.line == 2 && $0.problem.contains("required for crs") })
            #expect(error.issues.contains { $0.line == 5 && $0.problem.contains("only to crs, icans and infection") })
            return true
        }
        // An event built in code is held to the same range.
        let event = OutcomeEvent(id: "t9", patientID: "pat-1", date: received, kind: .cytokineReleaseSyndrome(grade: 0), source: "x")
        #expect(event.issues.map(\.field) == ["grade"])
    }

    @Test func everyProblemInACSVFileIsListedWithItsLineAndColumn() {
        let csv = """
            id,patient_id,date,kind,reason,test,value,unit,source,recorded_on
            e1,pat-1,2026-02-30,transfusion,,,,,ctr-a,
            e2,pat 1,2026-05-01,hospitalization,,,,,ctr-a,
            e3,pat-1,2026-05-01,lab-value,,hb,1e5,,ctr-a,
            e4,pat-1,2026-05-01,transfusion,,,,,ctr-a,2026-04-01
            e1,pat-1,2026-05-01,telepathy,,,,,,
            e6,pat-1,2026-05-01,lab-value,,hb,123456789012345678901,g/dL,ctr-a,
            e7,pat-1,2027-07-15,death,,,,,ctr-a,
            e8,pat-1,2026-05-01,transfusion,,,,ctr-a,
            """
        #expect {
            _ = try OutcomeEventFile.parse(csv, receivedOn: received)
        } throws: { error in
            guard let error = error as? FileValidationError else { return false }
            let found = Set(error.issues.map { "\($0.line ?? 0) \($0.path)" })
            let expected: Set<String> = [
                "2 date", "3 patient_id", "3 reason", "4 value", "4 unit", "5 recorded_on", "6 kind", "6 source",
                "7 value", "8 date", "9 ",
            ]
            #expect(found == expected, "got \(error.description)")
            #expect(error.issues.contains { $0.line == 7 && $0.problem.contains("more than 18 digits") })
            #expect(error.issues.contains { $0.line == 4 && $0.problem.contains("no exponent") })
            #expect(error.issues.contains { $0.line == 5 && $0.rule == "time-order" })
            #expect(error.issues.contains { $0.line == 9 && $0.problem.contains("has 9 fields") })
            // The server and CLI show the same problems with the line in front of the field.
            #expect(error.validationError.issues.contains { $0.field == "line 2: date" })
            return true
        }
    }

    @Test func aDuplicateIdIsRefusedWithTheLineOfTheFirst() {
        let csv = "id,patient_id,date,kind,source\ne1,pat-1,2026-05-01,death,x\ne1,pat-2,2026-05-01,death,x\n"
        #expect {
            _ = try OutcomeEventFile.parse(csv, receivedOn: received)
        } throws: { error in
            let issue = (error as? FileValidationError)?.issues.first
            return issue?.line == 3 && issue?.path == "id" && issue?.problem.contains("line 2") == true && issue?.rule == "unique"
        }
    }

    @Test func jsonProblemsNameThePathAndLine() {
        let json = """
            {"format": "curepath.outcomes/v1", "events": [
              {"id": "e1", "patientId": "pat-1", "date": "2026-05-01", "kind": "death", "source": "x"},
              {"id": "e2", "patientId": "pat-1", "date": 20260501, "kind": "death", "source": "x",
               "colour": "blue"},
              "not an event"
            ], "extra": 1}
            """
        #expect {
            _ = try OutcomeEventFile.parse(json, receivedOn: received)
        } throws: { error in
            guard let error = error as? FileValidationError else { return false }
            let found = Set(error.issues.map { "\($0.line ?? 0) \($0.path)" })
            #expect(found == ["3 events[1].date", "4 events[1].colour", "5 events[2]", "6 extra", "3 events[1].date"], "got \(error)")
            return true
        }
    }

    @Test func malformedJSONGivesTheLineOfTheSyntaxError() {
        let json = "[\n {\"id\": \"e1\",\n  \"patientId\": \"pat-1\"\n  \"date\": \"2026-05-01\"}\n]"
        #expect {
            _ = try OutcomeEventFile.parse(json, receivedOn: received)
        } throws: { error in
            let issue = (error as? FileValidationError)?.issues.last
            return issue?.line == 4 && issue?.rule == "syntax"
        }
    }

    @Test func hostileFilesAreRefusedCleanly() {
        // Too large: refused before it is read.
        let large = [UInt8](repeating: 0x20, count: OutcomeEventFile.maximumBytes + 1)
        #expect { _ = try OutcomeEventFile.parse(large, receivedOn: received) } throws: { error in
            (error as? FileValidationError)?.issues.first?.rule == "size-limit"
        }
        // Not UTF-8: the line of the bad byte.
        var latin1 = Array("id,patient_id,date,kind,source\ne1,pat-1,2026-05-01,death,".utf8)
        latin1 += [0xE9, 0x0A]
        #expect { _ = try OutcomeEventFile.parse(latin1, receivedOn: received) } throws: { error in
            let issue = (error as? FileValidationError)?.issues.first
            return issue?.rule == "encoding" && issue?.line == 2
        }
        // Nesting deeper than the limit: an error, not a stack overflow.
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect { _ = try OutcomeEventFile.parse(deep, receivedOn: received) } throws: { error in
            (error as? FileValidationError)?.issues.first?.problem.contains("nested deeper") == true
        }
        // A million bad rows give a bounded reply.
        let bad = "id,patient_id,date,kind,source\n" + String(repeating: "x,y,z,w,v\n", count: 20_000)
        #expect { _ = try OutcomeEventFile.parse(bad, receivedOn: received) } throws: { error in
            guard let error = error as? FileValidationError else { return false }
            return error.issues.count == FileValidationError.maximumIssues + 1 && error.issues.last?.problem.contains("more problems may follow") == true
        }
        // An unterminated quote and an empty file.
        #expect { _ = try OutcomeEventFile.parse("id,patient_id\n\"e1,pat", receivedOn: received) } throws: { _ in true }
        #expect { _ = try OutcomeEventFile.parse("", receivedOn: received) } throws: { error in
            (error as? FileValidationError)?.issues.first?.problem.contains("empty") == true
        }
    }

    @Test func eventValidationNamesEachField() {
        let event = OutcomeEvent(
            id: "e 1", patientID: "", date: day("2026-05-01"), kind: .responseAssessment, source: "",
            recordedOn: day("2026-04-01"), corrects: "e 1"
        )
        let fields = Set(event.issues.map(\.field))
        #expect(fields == ["id", "patientId", "recordedOn", "corrects", "source", "value"])
        #expect(throws: ValidationError.self) { try event.validated() }
    }

    @Test func correctionsSupersedeAndTheLatestCorrectionWins() {
        let events = [
            outcome("h1", "p", "2026-05-01", .hospitalization(reason: "voe")),
            outcome("h1-fix", "p", "2026-04-20", .hospitalization(reason: "voe"), recorded: "2026-06-01", corrects: "h1"),
            outcome("h1-fix2", "p", "2026-04-21", .hospitalization(reason: "voe"), recorded: "2026-07-01", corrects: "h1"),
        ]
        #expect(OutcomeHistory.effective(events).map(\.id) == ["h1-fix2"])
        #expect(OutcomeHistory.effective(events, knownOn: day("2026-06-15")).map(\.id) == ["h1-fix"])
        #expect(OutcomeHistory.effective(events, knownOn: day("2026-05-15")).map(\.id) == ["h1"])
    }
}
