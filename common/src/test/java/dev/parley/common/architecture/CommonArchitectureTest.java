package dev.parley.common.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * {@code common} is the protocol both sides share: it depends on the JDK and Jackson only, never
 * on a framework (Quarkus, Vert.x, Netty, picocli, JLine), and its packages have no cycles.
 */
@AnalyzeClasses(packages = "dev.parley.common", importOptions = ImportOption.DoNotIncludeTests.class)
class CommonArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheJdkAndJackson = classes().that().resideInAPackage("dev.parley.common..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "dev.parley.common..", "java..", "javax..", "com.fasterxml.jackson..")
            .because("common is shared by the server and the node and must stay free of frameworks");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.parley.common.(*)..").should().beFreeOfCycles();
}
