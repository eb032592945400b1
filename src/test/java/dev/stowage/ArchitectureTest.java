package dev.stowage;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The package table of STYLE.md: dependencies point one way, and each library stays behind the
 * one package that wraps it. Main code only. A rule for a package that does not exist yet passes
 * until the package appears, then holds it to the table.
 */
@AnalyzeClasses(packages = "dev.stowage", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] PACKAGES = {
        "cli", "phase", "plan", "docker", "archive", "journal", "probe", "config", "report", "model", "fs"};

    @ArchTest
    static final ArchRule everyClassLivesInAPackageOfTheTable = classes()
            .should().resideInAnyPackage(ours(PACKAGES))
            .because("STYLE.md lists every package and what it may use; a new one must be added there first");

    @ArchTest
    static final ArchRule phaseUsesOnlyTheLayersBelowIt =
            layer("phase", "plan", "docker", "archive", "journal", "probe", "config", "report", "model", "fs");

    @ArchTest
    static final ArchRule planUsesOnlyModel = layer("plan", "model");

    @ArchTest
    static final ArchRule dockerUsesOnlyModel = layer("docker", "model");

    @ArchTest
    static final ArchRule archiveUsesOnlyModelAndFs = layer("archive", "model", "fs");

    @ArchTest
    static final ArchRule journalUsesOnlyModelAndFs = layer("journal", "model", "fs");

    @ArchTest
    static final ArchRule probeUsesOnlyModelAndFs = layer("probe", "model", "fs");

    @ArchTest
    static final ArchRule configUsesOnlyModelAndFs = layer("config", "model", "fs");

    @ArchTest
    static final ArchRule reportUsesOnlyModel = layer("report", "model");

    @ArchTest
    static final ArchRule modelUsesNothingOfOurs = layer("model");

    @ArchTest
    static final ArchRule fsUsesNothingOfOurs = layer("fs");

    @ArchTest
    static final ArchRule onlyDockerImportsDockerJava = onlyPackageUses("docker", "com.github.dockerjava..");

    @ArchTest
    static final ArchRule onlyArchiveImportsCommonsCompress = onlyPackageUses("archive", "org.apache.commons.compress..");

    @ArchTest
    static final ArchRule onlyCliImportsPicocli = onlyPackageUses("cli", "picocli..");

    @ArchTest
    static final ArchRule onlyMainExitsTheJvm = noClasses()
            .that().doNotHaveFullyQualifiedName("dev.stowage.cli.Main")
            .should().callMethod(System.class, "exit", int.class)
            .orShould().callMethod(Runtime.class, "exit", int.class)
            .orShould().callMethod(Runtime.class, "halt", int.class)
            .because("exit codes are decided in one place; everything else throws a StowageException");

    /** Classes of {@code pkg} may use only {@code pkg}, the {@code allowed} packages and code that is not ours. */
    private static ArchRule layer(String pkg, String... allowed) {
        String[] permitted = ours(Stream.concat(Stream.of(pkg), Arrays.stream(allowed)).toArray(String[]::new));
        return classes().that().resideInAPackage(ours(pkg))
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.stowage..").or(resideInAnyPackage(permitted)))
                .because("STYLE.md: " + pkg + " may use " + (allowed.length == 0 ? "nothing of ours" : String.join(", ", allowed)))
                .allowEmptyShould(true);
    }

    private static ArchRule onlyPackageUses(String pkg, String library) {
        return noClasses().that().resideOutsideOfPackage(ours(pkg))
                .should().dependOnClassesThat().resideInAPackage(library)
                .because("only " + pkg + " wraps " + library.replace("..", "") + "; the rest sees our own types");
    }

    private static String ours(String pkg) {
        return "dev.stowage." + pkg + "..";
    }

    private static String[] ours(String... pkgs) {
        return Arrays.stream(pkgs).map(ArchitectureTest::ours).toArray(String[]::new);
    }
}
