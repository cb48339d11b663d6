package dev.parley.rendezvous.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The server's packages point one way: the transport ({@code session}) and the launcher on top;
 * the features ({@code account}, {@code block}, {@code consent}, {@code presence}, {@code relay})
 * below them; under those the small {@code core} (accounts, blocks, refusals, the shared check of
 * the user a command names); and the primitives ({@code storage}, {@code config}, {@code metrics},
 * {@code throttle}) at the bottom.
 */
@AnalyzeClasses(packages = "dev.parley.rendezvous", importOptions = ImportOption.DoNotIncludeTests.class)
class ServerArchitectureTest {
    private static final String[] FEATURES = {"..rendezvous.account..", "..rendezvous.block..",
            "..rendezvous.consent..", "..rendezvous.presence..", "..rendezvous.relay.."};
    private static final String[] PRIMITIVES = {"..rendezvous.storage..", "..rendezvous.config..",
            "..rendezvous.metrics..", "..rendezvous.throttle.."};

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.parley.rendezvous.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule featuresNeverImportTheTransport = noClasses().that().resideInAnyPackage(FEATURES)
            .should().dependOnClassesThat().resideInAnyPackage("..rendezvous.session..", "..rendezvous.launch..")
            .because("the transport depends on the features, not the other way round");

    @ArchTest
    static final ArchRule theCoreKnowsNoFeature = noClasses().that().resideInAPackage("..rendezvous.core..")
            .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
            .orShould().dependOnClassesThat().resideInAnyPackage("..rendezvous.session..", "..rendezvous.launch..");

    @ArchTest
    static final ArchRule primitivesKnowNothingAbove = noClasses().that().resideInAnyPackage(PRIMITIVES)
            .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
            .orShould().dependOnClassesThat().resideInAnyPackage("..rendezvous.core..", "..rendezvous.session..",
                    "..rendezvous.launch..");
}
