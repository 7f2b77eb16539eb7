// Referral programmes and the points ledger through the Kotlin API: the policy, programmes,
// codes and redemption, fraud holds, rewards from recordEvents, refunds, the ledger, the
// figures and every error case, mirroring tests/referrals.rs.
package dev.scrm

import java.io.File
import java.time.Duration
import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir

private fun days(n: Long): Instant = T0.plus(Duration.ofDays(n))

/** An engine whose clock is at T0, with customers created now. */
private fun engine(vararg ids: String): Engine {
    val engine = Engine.inMemory()
    engine.setClock(T0)
    engine.upsertCustomers(ids.map { CustomerInput(id = it) })
    return engine
}

private fun Engine.join(id: String) {
    upsertCustomer(CustomerInput(id = id))
}

private fun Engine.refer(referrer: String, referee: String): Referral =
    redeemCode(issueCode(referrer).code, referee)

private fun purchase(customer: String, amount: Double, key: String, at: Instant = T0) =
    EventInput(customer, "purchase", "app", at, amount = amount, idempotencyKey = key)

class ReferralsTest {
    @Test
    fun `a full referral flow, from programme to refund`() = engine("ann").use { engine ->
        engine.setReferralPolicy(ReferralPolicy(approvalDelayHours = 24u * 7u))
        val defined = engine.defineProgramme(
            Programme(name = "Welcome", trigger = Trigger.FirstPurchase, referrerPoints = 500, refereePoints = 100, expiryDays = 90u),
        )
        assertEquals("welcome", defined.name)
        assertEquals(listOf(100u), defined.levelPercents)
        assertEquals(listOf(defined), engine.programmes())

        val code = engine.issueCode("ann")
        assertEquals("ann", code.customer)
        assertEquals(T0, code.issuedAt)
        engine.join("bo")
        val referral = engine.redeemCode(code.code.lowercase(), "bo")
        assertEquals(Referral(0uL, "ann", "bo", code.code, null, T0, ReferralStatus.PENDING, null, days(7)), referral)
        assertEquals(listOf("ann"), engine.upline("bo").chain)
        assertEquals(referral, engine.referralOf("bo"))
        assertNull(engine.referralOf("ann"))

        // The first purchase pays both sides, held until the approval delay has passed.
        engine.recordEvents(listOf(purchase("bo", 30.0, "order-1"), purchase("bo", 80.0, "order-2")))
        assertEquals(Balance(500, 0, 500, 0), engine.balance("ann"))
        assertEquals(Balance(100, 0, 100, 0), engine.balance("bo"))
        val earned = engine.ledger("ann").single()
        assertEquals(EntryKind.EARN, earned.kind)
        assertEquals("welcome", earned.programme)
        assertEquals(0uL, earned.referral)
        assertNull(earned.offsets)
        assertEquals(T0, earned.at)
        assertEquals(days(90), earned.expiresAt)
        assertEquals("referrer level 1", earned.reason)
        assertThrows<ScrmException.Conflict> { engine.redeemPoints("ann", 1, "gift") }

        engine.setClock(days(8))
        assertEquals(ReferralStatus.APPROVED, engine.referral(referral.id).status)
        assertEquals(Balance(500, 500, 0, 0), engine.balance("ann"))
        assertEquals(Balance(300, 300, 0, 0), engine.redeemPoints("ann", 200, "gift"))
        assertEquals(listOf(engine.referral(0uL)), engine.referrals(ReferralStatus.APPROVED))

        // A refund of the purchase that paid voids the referral and takes back what is left.
        val refund = EventInput("bo", "refund", "app", days(8), properties = mapOf("purchase" to AttributeValue.Text("order-1")))
        engine.recordEvent(refund)
        assertEquals(ReferralStatus.VOIDED, engine.referral(referral.id).status)
        assertEquals(0L, engine.balance("ann").balance)
        assertEquals(0L, engine.balance("bo").balance)
        assertEquals(emptyList<String>(), engine.upline("bo").chain)
        val ledger = engine.ledger("ann")
        assertEquals(listOf(EntryKind.EARN, EntryKind.REDEEM, EntryKind.REVERSE), ledger.map { it.kind })
        assertEquals(listOf(500L, -200L, -300L), ledger.map { it.points })
        assertEquals(ledger[0].id, ledger[1].offsets)
        assertEquals(ledger[0].id, ledger[2].offsets)
        assertEquals(emptyList<Referral>(), engine.referrals(ReferralStatus.APPROVED))
        assertEquals(1, engine.referrals().size)

        val funnel = engine.referralFunnel(days(-1), days(30))
        assertEquals(1uL, funnel.codesIssued)
        assertEquals(1uL, funnel.redeemed)
        assertEquals(1uL, funnel.converted)
        assertEquals(1.0, funnel.redemptionRate)
        assertEquals(1.0, funnel.conversionRate)
        assertEquals(200L, funnel.cost, "what was spent before the refund stays paid")
    }

    @Test
    fun `codes are issued once and found in any case`() = engine("ann", "bo").use { engine ->
        val code = engine.issueCode("ann")
        assertEquals(8, code.code.length)
        assertEquals(code, engine.issueCode("ann", null))
        val spring = engine.issueCode("ann", "Spring")
        assertNotEquals(code.code, spring.code)
        assertEquals("spring", spring.campaign)
        val typed = (code.code.substring(0, 4) + "-" + code.code.substring(4)).lowercase()
        assertEquals(code, engine.lookupCode(typed))
        assertThrows<ScrmException.NotFound> { engine.lookupCode("ZZZZZZZZ") }
        assertEquals("code", assertThrows<ScrmException.Validation> { engine.lookupCode("0000") }.field)
        assertThrows<ScrmException.NotFound> { engine.issueCode("ghost") }
        assertEquals("campaign", assertThrows<ScrmException.Validation> { engine.issueCode("ann", "no way") }.field)
        engine.setReferralPolicy(ReferralPolicy(codeLength = 12u))
        engine.join("cy")
        assertEquals(12, engine.issueCode("cy").code.length)
    }

    @Test
    fun `a redemption pays both sides up three levels`() = engine("a", "b", "c").use { engine ->
        engine.defineProgramme(
            Programme("welcome", Trigger.FirstPurchase, 1000, refereePoints = 300, levelPercents = listOf(100u, 20u, 5u)),
        )
        engine.refer("a", "b")
        engine.refer("b", "c")
        engine.join("d")
        assertEquals(ReferralStatus.APPROVED, engine.refer("c", "d").status)
        assertEquals(listOf("c", "b", "a"), engine.upline("d").chain)
        engine.recordEvents(listOf(purchase("d", 50.0, "p1"), purchase("d", 80.0, "p2")))
        assertEquals(listOf(300L, 1000L, 200L, 50L), listOf("d", "c", "b", "a").map { engine.balance(it).spendable })
        assertEquals("referrer level 2", engine.ledger("b").single().reason)
        // The same purchase again is a duplicate and pays nothing more.
        assertEquals(1uL, engine.recordEvent(purchase("d", 50.0, "p1")).duplicates)
        assertEquals(1000L, engine.balance("c").spendable)
    }

    @Test
    fun `signup, amount and event triggers within caps and budget`() = engine("r").use { engine ->
        val signup = engine.defineProgramme(Programme("join", Trigger.Signup, 100, caps = Caps(perReferrerDay = 250)))
        assertEquals(Caps(perReferrerDay = 250), signup.caps)
        engine.defineProgramme(Programme("big", Trigger.Purchase(minAmount = 100.0), 40, caps = Caps(budget = 60)))
        engine.defineProgramme(Programme("share", Trigger.Event(kind = "Share"), 7))
        assertEquals(Trigger.Event("share"), engine.programmes()[2].trigger)
        for (id in listOf("n1", "n2", "n3")) {
            engine.join(id)
            engine.refer("r", id)
        }
        // 100 + 100 + 50 (cut to the day's cap of 250).
        assertEquals(250L, engine.balance("r").spendable)
        engine.recordEvents(listOf(purchase("n1", 99.0, "small"), purchase("n1", 100.0, "x1"), purchase("n2", 500.0, "x2")))
        // 40, then 20 left in the budget.
        assertEquals(310L, engine.balance("r").spendable)
        engine.recordEvent(EventInput("n3", "share", "wechat", T0))
        assertEquals(317L, engine.balance("r").spendable)
    }

    @Test
    fun `milestones pay once when reached`() = engine("r").use { engine ->
        val defined = engine.defineProgramme(
            Programme("m", Trigger.FirstPurchase, 10, milestones = listOf(Milestone(3u, 1000), Milestone(2u, 500))),
        )
        assertEquals(listOf(2u, 3u), defined.milestones.map { it.referrals })
        for ((i, id) in listOf("a", "b").withIndex()) {
            engine.join(id)
            engine.refer("r", id)
            engine.recordEvent(purchase(id, 10.0, "k$i"))
            engine.recordEvent(purchase(id, 10.0, "again$i"))
        }
        assertEquals(520L, engine.balance("r").spendable)
        assertEquals(listOf(ReferrerStanding("r", 2uL, 2uL, 520)), engine.referralLeaderboard(5uL))
    }

    @Test
    fun `fraud checks hold referrals until a person decides`() = engine("old", "r").use { engine ->
        engine.defineProgramme(Programme("join", Trigger.Signup, 100))
        engine.setClock(days(2))
        val held = engine.refer("r", "old")
        assertEquals(ReferralStatus.FLAGGED, held.status)
        assertEquals(HoldReason.EXISTING_REFEREE, held.hold)
        assertNull(held.approveAt)
        assertEquals(emptyList<String>(), engine.upline("old").chain)
        assertEquals(0L, engine.balance("r").balance)
        assertEquals(listOf(held), engine.referrals(ReferralStatus.FLAGGED))
        val approved = engine.approveReferral(held.id)
        assertEquals(ReferralStatus.APPROVED, approved.status)
        assertEquals(approved, engine.approveReferral(held.id), "approving twice is a no-op")
        assertEquals(listOf("r"), engine.upline("old").chain)
        assertEquals(100L, engine.balance("r").spendable)

        // Self-referral through a merge: held, and cannot be approved.
        val own = engine.issueCode("r").code
        engine.join("r2")
        engine.mergeCustomers(MergeRequest(survivor = "r", merged = "r2", actor = "t"))
        val self = engine.redeemCode(own, "r2")
        assertEquals(HoldReason.SELF_REFERRAL, self.hold)
        assertThrows<ScrmException.Conflict> { engine.approveReferral(self.id) }

        // A ring: old's referrer is r; r redeeming old's code would close it.
        val ring = engine.redeemCode(engine.issueCode("old").code, "r")
        assertEquals(HoldReason.RING, ring.hold)
        assertEquals(ReferralStatus.VOIDED, engine.rejectReferral(ring.id).status)
        assertThrows<ScrmException.Conflict> { engine.approveReferral(ring.id) }

        // A second referrer for old.
        engine.join("new")
        assertThrows<ScrmException.Conflict> { engine.redeemCode(engine.issueCode("new").code, "old") }

        assertThrows<ScrmException.NotFound> { engine.referral(99uL) }
        assertThrows<ScrmException.NotFound> { engine.approveReferral(99uL) }
        assertThrows<ScrmException.NotFound> { engine.rejectReferral(99uL) }
        assertThrows<ScrmException.NotFound> { engine.redeemCode("ZZZZZZZZ", "old") }
        assertThrows<ScrmException.NotFound> { engine.redeemCode(own, "ghost") }
        assertThrows<ScrmException.NotFound> { engine.referralOf("ghost") }
        Unit
    }

    @Test
    fun `velocity holds and the policy round-trips`() = engine("r").use { engine ->
        assertEquals(
            ReferralPolicy(8u, 24u, false, 20u, 0u, null),
            engine.referralPolicy(),
        )
        val allowance = Allowance(5, AllowanceUnit.POINTS, Window.LIFETIME)
        engine.setReferralPolicy(ReferralPolicy(maxRedemptionsPerHour = 2u, allowance = allowance))
        assertEquals(ReferralPolicy(8u, 24u, false, 2u, 0u, allowance), engine.referralPolicy())
        val holds = listOf("a", "b", "c").map { engine.join(it); engine.refer("r", it).hold }
        assertEquals(listOf(null, null, HoldReason.VELOCITY), holds)
        assertEquals(
            "policy.code_length",
            assertThrows<ScrmException.Validation> { engine.setReferralPolicy(ReferralPolicy(codeLength = 3u)) }.field,
        )
        assertEquals(
            "policy.allowance.limit",
            assertThrows<ScrmException.Validation> {
                engine.setReferralPolicy(ReferralPolicy(allowance = Allowance(-1, AllowanceUnit.REWARDS, Window.CALENDAR_MONTH)))
            }.field,
        )
        // A refused policy changes nothing.
        assertEquals(2u, engine.referralPolicy().maxRedemptionsPerHour)
    }

    @Test
    fun `an allowance limits rewards across programmes`() = engine("r").use { engine ->
        engine.setReferralPolicy(ReferralPolicy(allowance = Allowance(2, AllowanceUnit.REWARDS, Window.CALENDAR_MONTH)))
        engine.defineProgramme(Programme("a", Trigger.Signup, 10))
        engine.defineProgramme(Programme("b", Trigger.Signup, 20))
        engine.join("x")
        engine.refer("r", "x")
        engine.join("y")
        engine.refer("r", "y")
        assertEquals(30L, engine.balance("r").balance)
        engine.setClock(days(31))
        engine.join("z")
        engine.refer("r", "z")
        assertEquals(60L, engine.balance("r").balance, "a new month")
    }

    @Test
    fun `points expire earliest first and adjustments balance`() = engine("r").use { engine ->
        engine.defineProgramme(Programme("join", Trigger.Signup, 100, expiryDays = 30u))
        engine.join("a")
        engine.refer("r", "a")
        engine.setClock(days(10))
        assertEquals(Balance(150, 150, 0, 100), engine.adjustPoints("r", 50, "goodwill"))
        val after = engine.redeemPoints("r", 120, "voucher")
        assertEquals(30L, after.balance)
        assertEquals(30L, after.spendable)
        val entries = engine.ledger("r")
        assertEquals(EntryKind.ADJUST, entries[1].kind)
        assertNull(entries[1].expiresAt)
        assertEquals(0uL, entries[2].offsets, "the expiring lot goes first")
        assertEquals(listOf(-100L, -20L), listOf(entries[2].points, entries[3].points))
        assertEquals("voucher", entries[3].reason)
        assertThrows<ScrmException.Conflict> { engine.adjustPoints("r", -31, "fix") }
        assertThrows<ScrmException.Conflict> { engine.redeemPoints("r", 31, "too much") }
        assertEquals("points", assertThrows<ScrmException.Validation> { engine.redeemPoints("r", 0, "x") }.field)
        assertEquals("reason", assertThrows<ScrmException.Validation> { engine.redeemPoints("r", 1, "x".repeat(10_000)) }.field)
        assertThrows<ScrmException.NotFound> { engine.redeemPoints("ghost", 1, "x") }
        assertThrows<ScrmException.NotFound> { engine.adjustPoints("ghost", 1, "x") }
        assertThrows<ScrmException.NotFound> { engine.balance("ghost") }
        assertThrows<ScrmException.NotFound> { engine.ledger("ghost") }
        engine.adjustPoints("r", -30, "fix")
        assertEquals(0L, engine.balance("r").balance)
    }

    @Test
    fun `expiry is written and never goes below zero`() = engine("r").use { engine ->
        engine.defineProgramme(Programme("join", Trigger.Signup, 100, expiryDays = 1u))
        engine.join("a")
        engine.refer("r", "a")
        engine.redeemPoints("r", 40, "spent")
        engine.setClock(days(2))
        assertEquals(0L, engine.balance("r").spendable)
        assertEquals(1uL, engine.expirePoints())
        assertEquals(0uL, engine.expirePoints())
        val last = engine.ledger("r").last()
        assertEquals(EntryKind.EXPIRE, last.kind)
        assertEquals(-60L, last.points)
        assertEquals(0L, engine.balance("r").balance)
    }

    @Test
    fun `bad programmes are typed errors`() = engine("r").use { engine ->
        val ok = Programme("x", Trigger.Signup, 1)
        val cases = listOf(
            ok.copy(referrerPoints = -1) to "programme.referrer_points",
            ok.copy(refereePoints = 1_000_000_000_001) to "programme.referee_points",
            ok.copy(name = "no way") to "programme.name",
            ok.copy(levelPercents = listOf(100u, 120u)) to "programme.level_percents[1]",
            ok.copy(levelPercents = emptyList()) to "programme.level_percents",
            ok.copy(startsAt = T0, endsAt = T0) to "programme.ends_at",
            ok.copy(startsAt = Instant.parse("3001-01-01T00:00:00Z")) to "programme.starts_at",
            ok.copy(trigger = Trigger.Purchase(Double.NaN)) to "programme.trigger.min_amount",
            ok.copy(expiryDays = 0u) to "programme.expiry_days",
            ok.copy(caps = Caps(budget = -5)) to "programme.caps.budget",
            ok.copy(milestones = listOf(Milestone(0u, 5))) to "programme.milestones[0].referrals",
            ok.copy(milestones = listOf(Milestone(2u, 5), Milestone(2u, 6))) to "programme.milestones",
        )
        for ((bad, field) in cases) {
            assertEquals(field, assertThrows<ScrmException.Validation> { engine.defineProgramme(bad) }.field, bad.toString())
        }
        assertEquals(emptyList<Programme>(), engine.programmes())
    }

    @Test
    fun `the leaderboard and the funnel count`() = engine("r", "q").use { engine ->
        engine.defineProgramme(Programme("spring", Trigger.FirstPurchase, 10, endsAt = days(1)))
        for (id in listOf("a", "b")) {
            engine.join(id)
            engine.refer("r", id)
        }
        engine.join("c")
        engine.refer("q", "c")
        engine.recordEvent(purchase("a", 1.0, "a1"))
        engine.recordEvent(purchase("b", 1.0, "b1", days(2)))
        assertEquals(10L, engine.balance("r").balance)
        assertEquals(
            listOf(ReferrerStanding("r", 2uL, 1uL, 10), ReferrerStanding("q", 1uL, 0uL, 0)),
            engine.referralLeaderboard(5uL),
        )
        assertEquals(1, engine.referralLeaderboard(1uL).size)
        val funnel = engine.referralFunnel(days(-1), days(3))
        assertEquals(2uL, funnel.codesIssued)
        assertEquals(3uL, funnel.redeemed)
        assertEquals(1uL, funnel.converted)
        assertEquals(10L, funnel.cost)
        assertEquals(1.5, funnel.redemptionRate)
        assertEquals(1.0 / 3.0, funnel.conversionRate)
        assertEquals("until", assertThrows<ScrmException.Validation> { engine.referralFunnel(T0, T0) }.field)
        assertEquals("from", assertThrows<ScrmException.Validation> {
            engine.referralFunnel(Instant.parse("1800-01-01T00:00:00Z"), T0)
        }.field)
        Unit
    }

    @Test
    fun `the ledger survives a reopen`(@TempDir dir: File) {
        val path = File(dir, "ref.scrm").path
        val before = Engine.open(path).use { engine ->
            engine.setClock(T0)
            engine.defineProgramme(Programme("buy", Trigger.Purchase(0.0), 7, refereePoints = 3, levelPercents = listOf(100u, 50u)))
            engine.upsertCustomers((0 until 10).map { CustomerInput(id = "c$it") })
            for (i in 1 until 10) engine.refer("c${(i - 1) / 3}", "c$i")
            engine.recordEvents((0 until 40).map { purchase("c${it % 10}", 5.0, "o$it", T0.plusSeconds(it * 60L)) })
            (0 until 10).map { engine.ledger("c$it") to engine.balance("c$it") }
        }
        Engine.open(path).use { engine ->
            assertEquals(before, (0 until 10).map { engine.ledger("c$it") to engine.balance("c$it") })
            assertEquals(9, engine.referrals().size)
            assertEquals("buy", engine.programmes().single().name)
        }
    }
}
