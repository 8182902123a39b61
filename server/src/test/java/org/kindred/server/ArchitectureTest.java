package org.kindred.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Map;

/**
 * The server's layering, pinned: dependencies run one way, from the wiring at the top down to the delivery primitives,
 * and each library stays in its edge package. README's "Code map" draws the same picture.
 */
@AnalyzeClasses(packages = "org.kindred.server", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "org.kindred.server";

    /**
     * Each package of the server and its layer: a class may use classes of its own package and of packages in lower
     * layers, never of its layer's other packages or of higher layers. A new package must be placed here.
     */
    static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry(ROOT, 9), // Main, KindredNode: the wiring
            Map.entry(ROOT + ".transport", 8),
            Map.entry(ROOT + ".cli", 8), // check-config, gen-token: beside the server, under Main
            Map.entry(ROOT + ".session", 7),
            Map.entry(ROOT + ".redis", 7),
            Map.entry(ROOT + ".store", 7), // the system of record in SQL, beside Redis
            Map.entry(ROOT + ".api", 7), // the server API: calls features, knows no transport
            Map.entry(ROOT + ".auth", 6),
            Map.entry(ROOT + ".support", 6),
            Map.entry(ROOT + ".group", 6),
            Map.entry(ROOT + ".webhook", 6), // outgoing webhooks: a safety store that publishes, the delivery queues
            Map.entry(ROOT + ".members", 6), // a member's data rights: export and erasure (implemented in store)
            Map.entry(ROOT + ".safety", 5),
            Map.entry(ROOT + ".room", 4),
            Map.entry(ROOT + ".config", 3),
            Map.entry(ROOT + ".runtime", 2),
            Map.entry(ROOT + ".connection", 1),
            Map.entry(ROOT + ".identity", 1),
            Map.entry(ROOT + ".broker", 1),
            Map.entry(ROOT + ".presence", 1),
            Map.entry(ROOT + ".metrics", 1),
            Map.entry(ROOT + ".limit", 1));

    @ArchTest
    static final ArchRule dependenciesRunDownward =
            classes().that().resideInAPackage(ROOT + "..").should(onlyUseLowerLayers());

    @ArchTest
    static final ArchRule packagesFormNoCycle =
            slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule nettyStaysInTransport = noClasses()
            .that()
            .resideOutsideOfPackage(ROOT + ".transport..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.netty..")
            .because("the domain sees a connection through a tiny interface, never a socket");

    @ArchTest
    static final ArchRule lettuceStaysInRedis = noClasses()
            .that()
            .resideOutsideOfPackage(ROOT + ".redis..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.lettuce..")
            .because("features talk to their cluster interfaces; only the redis package knows Redis");

    @ArchTest
    static final ArchRule micrometerStaysInMetrics = noClasses()
            .that()
            .resideOutsideOfPackage(ROOT + ".metrics..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.micrometer..")
            .because("the core counts through KindredMetrics, which has no-op defaults");

    private static ArchCondition<JavaClass> onlyUseLowerLayers() {
        return new ArchCondition<>("only use classes of its own package or of lower layers") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                Integer from = LAYERS.get(origin.getPackageName());
                if (from == null) {
                    events.add(SimpleConditionEvent.violated(
                            origin, "package " + origin.getPackageName() + " has no layer in ArchitectureTest.LAYERS"));
                    return;
                }
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    String target = dependency.getTargetClass().getPackageName();
                    if (!target.startsWith(ROOT) || target.equals(origin.getPackageName())) {
                        continue;
                    }
                    Integer to = LAYERS.get(target);
                    if (to == null || to >= from) {
                        events.add(SimpleConditionEvent.violated(
                                dependency,
                                dependency.getDescription() + " (layer " + from + " -> " + (to == null ? "unknown" : to)
                                        + ")"));
                    }
                }
            }
        };
    }
}
