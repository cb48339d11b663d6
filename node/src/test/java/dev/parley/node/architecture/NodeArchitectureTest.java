package dev.parley.node.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The node's packages point one way: the entry ({@code launch}) on top; then the {@code shell};
 * then the core (the root package: the node's state, its commands and the handling of what the
 * server and the links report); below it the ways out — {@code server} (the rendezvous client),
 * {@code p2p} (direct links), {@code route} (which way a message goes) — and the leaves
 * ({@code output}, {@code trust}, {@code delivery}, {@code time}).
 */
@AnalyzeClasses(packages = "dev.parley.node", importOptions = ImportOption.DoNotIncludeTests.class)
class NodeArchitectureTest {
    private static final String CORE = "dev.parley.node";
    private static final String[] ABOVE_THE_WAYS_OUT = {CORE, "..node.shell..", "..node.launch.."};

    /** Each package of the node is a slice, the root package included (as "core"). */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (pkg.equals(CORE)) {
                return SliceIdentifier.of("core");
            }
            if (!pkg.startsWith(CORE + ".")) {
                return SliceIdentifier.ignore();
            }
            return SliceIdentifier.of(pkg.substring(CORE.length() + 1).split("\\.")[0]);
        }

        @Override
        public String getDescription() {
            return "the node's packages (the root package as core)";
        }
    };

    @ArchTest
    static final ArchRule noPackageCycles = slices().assignedFrom(PACKAGES).should().beFreeOfCycles();

    @ArchTest
    static final ArchRule p2pAndServerNeverImportTheCore = noClasses().that()
            .resideInAnyPackage("..node.p2p..", "..node.server..", "..node.route..")
            .should().dependOnClassesThat().resideInAnyPackage(ABOVE_THE_WAYS_OUT)
            .because("the core drives the server session and the direct links; they report through listeners");

    @ArchTest
    static final ArchRule routeIsPolicyOnly = classes().that().resideInAPackage("..node.route..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.parley.common..", "..node.route..",
                    "..node.time..")
            .because("routing decides between paths it sees through interfaces, testable without sockets");

    @ArchTest
    static final ArchRule theCoreKnowsNoShell = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("..node.shell..", "..node.launch..");

    @ArchTest
    static final ArchRule theShellKnowsNoLauncher = noClasses().that().resideInAPackage("..node.shell..")
            .should().dependOnClassesThat().resideInAPackage("..node.launch..");

    @ArchTest
    static final ArchRule leavesKnowNothingAbove = noClasses().that()
            .resideInAnyPackage("..node.output..", "..node.trust..", "..node.delivery..", "..node.time..")
            .should().dependOnClassesThat().resideInAnyPackage(CORE, "..node.shell..", "..node.launch..",
                    "..node.server..", "..node.p2p..", "..node.route..");
}
