// The relationship graph through the Kotlin API: edges in and out, walks, analytics and
// every error case, mirroring tests/graph.rs.
package dev.scrm

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.File
import kotlin.math.abs

private fun Engine.with(vararg ids: String): Engine {
    upsertCustomers(ids.map { CustomerInput(id = it, at = T0) })
    return this
}

private fun Engine.refer(vararg pairs: Pair<String, String>) {
    addEdges(pairs.map { (a, b) -> EdgeInput(a, b, "referred") })
}

class GraphTest {
    @Test
    fun `edges are put once per kind and mutual kinds go both ways`() = Engine.inMemory().with("a", "b", "c").use { engine ->
        val report = engine.addEdges(
            listOf(
                EdgeInput("a", "b", "follows"),
                EdgeInput("a", "b", "Follows", weight = 3.0),
                EdgeInput("b", "c", "friend", at = T0),
            ),
        )
        assertEquals(EdgeReport(3uL, 0uL), report)
        assertEquals(EdgeReport(0uL, 1uL), engine.addEdge(EdgeInput("a", "b", "follows", weight = 2.0)))

        val out = engine.edgesOf("a", EdgeDirection.OUT)
        assertEquals(1, out.size)
        assertEquals(Edge("a", "b", "follows", 2.0, out[0].createdAt), out[0])
        val friends = engine.edgesOf("b", kinds = listOf("friend"))
        assertEquals(listOf("b" to "c", "c" to "b"), friends.map { it.source to it.target })
        assertEquals(T0, friends[0].createdAt)
        assertEquals(3, engine.edgesOf("b").size)

        assertEquals(listOf("b"), engine.neighbours("c", EdgeDirection.OUT))
        assertEquals(listOf("a", "c"), engine.neighbours("b"))
        assertEquals(1uL, engine.degree("b", EdgeDirection.IN, listOf("follows")))
        assertEquals(2uL, engine.degree("b"))
        assertEquals(3uL, engine.stats().edges)

        assertTrue(engine.removeEdge("c", "b", "friend"))
        assertFalse(engine.removeEdge("c", "b", "friend"))
        assertEquals(1uL, engine.stats().edges)
    }

    @Test
    fun `bad edges are typed errors and change nothing`() = Engine.inMemory().with("a", "b", "c").use { engine ->
        val cases = listOf(
            EdgeInput("a", "zz", "follows") to "edges[1].target",
            EdgeInput("a", "a", "follows") to "edges[1].target",
            EdgeInput("a", "b", "no way") to "edges[1].kind",
            EdgeInput("a", "b", "interacted") to "edges[1].kind",
            EdgeInput("a", "b", "follows", weight = Double.NaN) to "edges[1].weight",
            EdgeInput("a", "b", "follows", weight = -1.0) to "edges[1].weight",
            EdgeInput("a", "b", "follows", at = java.time.Instant.parse("3001-01-01T00:00:00Z")) to "edges[1].at",
        )
        for ((bad, field) in cases) {
            val e = assertThrows<ScrmException.Validation> { engine.addEdges(listOf(EdgeInput("a", "b", "referred"), bad)) }
            assertEquals(field, e.field, bad.toString())
            assertEquals(0uL, engine.stats().edges)
        }
        // A second referrer for b.
        assertThrows<ScrmException.Conflict> {
            engine.addEdges(listOf(EdgeInput("a", "b", "referred"), EdgeInput("c", "b", "referred")))
        }
        assertEquals(0uL, engine.stats().edges)
        engine.refer("a" to "b")
        assertThrows<ScrmException.Conflict> { engine.addEdge(EdgeInput("c", "b", "referred")) }
        // The same referral again is no conflict.
        assertEquals(EdgeReport(0uL, 1uL), engine.addEdge(EdgeInput("a", "b", "referred")))
        assertEquals("kind", assertThrows<ScrmException.Validation> { engine.removeEdge("a", "b", "interacted") }.field)
        assertEquals("kinds[0]", assertThrows<ScrmException.Validation> { engine.neighbours("a", kinds = listOf("no way")) }.field)

        assertThrows<ScrmException.NotFound> { engine.removeEdge("a", "ghost", "follows") }
        assertThrows<ScrmException.NotFound> { engine.edgesOf("nobody") }
        assertThrows<ScrmException.NotFound> { engine.neighbours("nobody", EdgeDirection.OUT) }
        assertThrows<ScrmException.NotFound> { engine.degree("nobody") }
        assertThrows<ScrmException.NotFound> { engine.reach("nobody", 1u) }
        assertThrows<ScrmException.NotFound> { engine.path("a", "nobody") }
        assertThrows<ScrmException.NotFound> { engine.path("nobody", "a") }
        assertThrows<ScrmException.NotFound> { engine.downline("nobody", 1u) }
        assertThrows<ScrmException.NotFound> { engine.upline("nobody") }
        assertThrows<ScrmException.NotFound> { engine.personalizedPagerank(listOf("nobody")) }
        Unit
    }

    @Test
    fun `events with a target count interactions`() = Engine.inMemory().with("a", "b").use { engine ->
        val share = EventInput("a", "share", "wechat", T0, target = "b")
        engine.recordEvents(listOf(share, share))
        val edges = engine.edgesOf("b", EdgeDirection.IN, listOf("interacted"))
        assertEquals(listOf(Edge("a", "b", "interacted", 2.0, T0)), edges)
    }

    @Test
    fun `merged customers keep their edges`() = Engine.inMemory().with("a", "b", "c", "d").use { engine ->
        engine.addEdges(
            listOf(
                EdgeInput("b", "c", "follows"),
                EdgeInput("a", "c", "follows"),
                EdgeInput("b", "a", "follows"),
                EdgeInput("d", "b", "referred"),
            ),
        )
        engine.mergeCustomers(MergeRequest(survivor = "a", merged = "b", actor = "test"))
        assertEquals(listOf("c"), engine.neighbours("a", EdgeDirection.OUT))
        assertEquals(listOf("c"), engine.neighbours("b", EdgeDirection.OUT))
        assertEquals(listOf("d"), engine.upline("a").chain)
        assertEquals(listOf(listOf("a")), engine.downline("d", 3u))
        assertEquals(1uL, engine.addEdge(EdgeInput("a", "c", "follows", weight = 5.0)).updated)
        assertEquals(3, engine.pagerank().ids.size, "merged-away profiles are not ranked")
    }

    @Test
    fun `walks follow the selected edges`() = Engine.inMemory().with("r", "a", "b", "c", "x").use { engine ->
        engine.refer("r" to "a", "r" to "b", "a" to "c")
        engine.addEdge(EdgeInput("x", "c", "follows"))
        assertEquals(listOf(listOf("a", "b")), engine.downline("r", 1u))
        assertEquals(listOf(listOf("a", "b"), listOf("c")), engine.downline("r", 5u))
        assertEquals(Upline(listOf("a", "r"), false), engine.upline("c"))
        assertEquals(Upline(emptyList(), false), engine.upline("r"))
        assertEquals(listOf("a", "b", "c"), engine.reach("r", 2u, EdgeDirection.OUT))
        assertEquals(listOf("a", "b", "c", "x"), engine.reach("r", 3u))
        assertEquals(listOf("b", "r", "a", "c", "x"), engine.path("b", "x"))
        assertNull(engine.path("b", "x", EdgeDirection.OUT))
        assertNull(engine.path("b", "x", kinds = listOf("referred")))
        assertEquals("hops", assertThrows<ScrmException.Validation> { engine.reach("r", 0u, EdgeDirection.OUT) }.field)
        assertEquals("hops", assertThrows<ScrmException.Validation> { engine.reach("r", 65u) }.field)
        assertEquals("depth", assertThrows<ScrmException.Validation> { engine.downline("r", 65u) }.field)
        assertEquals("depth", assertThrows<ScrmException.Validation> { engine.downline("r", 0u) }.field)
        Unit
    }

    @Test
    fun `rings and components`() = Engine.inMemory().with("a", "b", "c", "d").use { engine ->
        assertEquals(emptyList<List<String>>(), engine.referralRings())
        engine.refer("a" to "b", "b" to "c", "c" to "a")
        assertEquals(listOf(listOf("a", "b", "c")), engine.referralRings())
        assertTrue(engine.upline("a").cycle)
        val scc = engine.stronglyConnectedComponents()
        assertEquals(listOf("a", "b", "c", "d"), scc.ids)
        assertEquals(2u, scc.count)
        assertEquals(0.0, scc.modularity)
        assertEquals(scc.communities[0], scc.communities[2])
        assertNotEquals(scc.communities[0], scc.communities[3])
        // Reading referrals backwards changes nothing to a cycle; reading only follows splits it.
        assertEquals(2u, engine.stronglyConnectedComponents(EdgeSelection(reversed = listOf("referred"))).count)
        assertEquals(4u, engine.stronglyConnectedComponents(EdgeSelection(kinds = listOf("follows"))).count)
        assertEquals("edges.kinds[0]", assertThrows<ScrmException.Validation> {
            engine.stronglyConnectedComponents(EdgeSelection(kinds = listOf("no way")))
        }.field)
        Unit
    }

    @Test
    fun `pagerank ranks the followed and the referrer`() = Engine.inMemory().with("star", "f1", "f2", "f3", "newbie").use { engine ->
        engine.addEdges(listOf("f1", "f2", "f3").map { EdgeInput(it, "star", "follows") })
        engine.refer("f1" to "newbie")
        val ranks = engine.pagerank()
        assertEquals("star", ranks.ids[0])
        assertTrue(ranks.iterations > 0u)
        assertTrue(abs(ranks.scores.sum() - 1.0) < 1e-9)
        val rankOf = { id: String -> ranks.scores[ranks.ids.indexOf(id)] }
        assertTrue(rankOf("f1") > rankOf("f2"), "the referral endorses its referrer")
        // Options left null are the core's defaults.
        val spelled = PageRankOptions(
            edges = EdgeSelection(reversed = listOf("referred")), damping = 0.85, weighted = true, tol = 1e-6, maxIter = 100u,
        )
        assertEquals(ranks, engine.pagerank(spelled))
        // As stored, the referral endorses the newbie instead.
        val stored = engine.pagerank(PageRankOptions(edges = EdgeSelection(reversed = emptyList())))
        assertTrue(stored.scores[stored.ids.indexOf("newbie")] > rankOf("newbie"))

        val top = engine.influencers(2uL)
        assertEquals(ranks.ids.take(2), top.ids)
        assertEquals(0u, top.iterations)
        assertEquals(5, engine.influencers(100uL).ids.size)

        val near = engine.personalizedPagerank(listOf("newbie"))
        assertEquals(listOf("newbie", "f1", "star"), near.ids.take(3))
        assertEquals(0.0, near.scores[3])

        val bad = PageRankOptions(damping = 1.5)
        assertEquals("damping", assertThrows<ScrmException.Validation> { engine.pagerank(bad) }.field)
        assertEquals("damping", assertThrows<ScrmException.Validation> { engine.personalizedPagerank(listOf("star"), bad) }.field)
        assertThrows<ScrmException.Validation> { engine.pagerank(PageRankOptions(tol = -1.0)) }
        assertThrows<ScrmException.Validation> { engine.pagerank(PageRankOptions(maxIter = 1u, tol = 1e-300)) }
        assertThrows<ScrmException.Validation> { engine.personalizedPagerank(emptyList()) }
        assertThrows<ScrmException.NotFound> { engine.personalizedPagerank(listOf("ghost"), bad) }
        Unit
    }

    @Test
    fun `advocates are influence times engagement`() = Engine.inMemory().with("star", "f1", "f2", "f3", "quiet", "loner").use { engine ->
        engine.setClock(T0)
        engine.addEdges(listOf("f1", "f2", "f3", "quiet").map { EdgeInput(it, "star", "follows") })
        engine.recordEvents(
            listOf("star" to "share", "f1" to "purchase", "f2" to "view", "loner" to "purchase").map { (id, kind) ->
                EventInput(id, kind, "wechat", T0)
            },
        )
        val everyone = engine.influencers(100uL)
        val creationOrder = listOf("star", "f1", "f2", "f3", "quiet", "loner")
        // The default PageRank scaled so the average customer has 1, times the engagement score.
        val expected = creationOrder.associateWith { id ->
            everyone.scores[everyone.ids.indexOf(id)] * everyone.ids.size * engine.score(id)
        }
        val advocates = engine.advocates(100uL)
        assertEquals(creationOrder.sortedByDescending { expected.getValue(it) }, advocates.ids, "highest first, ties by creation order")
        advocates.ids.zip(advocates.scores).forEach { (id, score) ->
            assertTrue(abs(expected.getValue(id) - score) < 1e-9, "$id: expected ${expected[id]}, got $score")
        }
        assertEquals(0u, advocates.iterations)
        assertEquals(0.0, advocates.scores[advocates.ids.indexOf("quiet")], "quiet never acted")
        // No edges is no zero: PageRank gives a customer without edges its share of the jumps.
        assertTrue(advocates.scores[advocates.ids.indexOf("loner")] > 0, "loner acted")
        assertEquals(advocates.ids.take(2), engine.advocates(2uL).ids)
        assertEquals(Ranking(emptyList(), emptyList(), 0u), engine.advocates(0uL))
        engine.setClock(T0.plus(java.time.Duration.ofDays(60)))
        assertEquals(advocates.ids, engine.advocates(100uL).ids, "decay scales every score alike")
        assertTrue(engine.advocates(1uL).scores.single() < advocates.scores.first(), "two half-lives later")
    }

    @Test
    fun `communities split two cliques`() = Engine.inMemory().use { engine ->
        val ids = (0 until 10).map { "c$it" }
        engine.with(*ids.toTypedArray())
        val edges = listOf(0 until 5, 5 until 10).flatMap { group ->
            group.flatMap { i -> group.filter { it > i }.map { j -> EdgeInput(ids[i], ids[j], "friend") } }
        } + EdgeInput("c0", "c5", "follows")
        assertEquals(41uL, engine.addEdges(edges).inserted)
        val found = engine.communities()
        assertEquals(ids, found.ids)
        assertEquals(2u, found.count)
        assertTrue(found.modularity > 0.4, found.modularity.toString())
        assertTrue(found.communities.take(5).all { it == found.communities[0] })
        assertTrue(found.communities.drop(5).all { it == found.communities[5] })
        assertEquals(found, engine.communities(CommunityOptions(resolution = 1.0, seed = 0uL)))
        assertEquals(5uL, engine.count("community = 0"))
        assertEquals(2u, engine.communities(CommunityOptions(edges = EdgeSelection(kinds = listOf("friend")), seed = 7uL)).count)
        assertEquals("resolution", assertThrows<ScrmException.Validation> {
            engine.communities(CommunityOptions(resolution = 0.0))
        }.field)
        assertTrue(engine.stats().graphSnapshotBytes > 0uL)
    }

    @Test
    fun `segment predicates read the graph`() = Engine.inMemory().with("vip", "plain", "k1", "k2", "k3", "far").use { engine ->
        engine.tagCustomers(listOf("vip"), listOf("vip"))
        engine.refer("vip" to "k1", "vip" to "k2", "plain" to "k3")
        engine.addEdge(EdgeInput("k3", "far", "follows"))
        assertEquals(listOf("k1", "k2"), engine.query("referred_by(tag:vip)").ids)
        assertEquals(listOf("k3", "far"), engine.query("within 2 hops of \"plain\"").ids)
        assertEquals(engine.influencers(1uL).ids, engine.query("influence_top 1").ids)
        assertThrows<ScrmException.NotFound> { engine.count("within 2 hops of \"ghost\"") }
        Unit
    }

    @Test
    fun `edges survive a reopen`(@TempDir dir: File) {
        val path = File(dir, "graph.scrm").path
        val before = Engine.open(path).use { engine ->
            engine.with("a", "b", "c")
            engine.addEdges(listOf(EdgeInput("a", "b", "friend", at = T0), EdgeInput("a", "c", "referred", weight = 2.5, at = T0)))
            engine.recordEvent(EventInput("c", "message", "wechat", T0, target = "a"))
            listOf("a", "b", "c").map { engine.edgesOf(it) }
        }
        Engine.open(path).use { engine ->
            assertEquals(before, listOf("a", "b", "c").map { engine.edgesOf(it) })
            assertEquals(4uL, engine.stats().edges)
        }
    }
}
