package dev.taskwatch.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Certificates made at test time with the JDK's {@code keytool}, so that no key material is committed (no
 * BouncyCastle, no {@code sun.security.x509}): EC P-256 keys, valid for two days, PKCS#12 stores with password
 * {@value #PASSWORD}, written to a directory the test owns.
 *
 * <pre>{@code
 * @TempDir Path dir;
 * ...
 * TestCertificates certs = new TestCertificates(dir);
 * Path store = certs.selfSigned("server", "localhost", "dns:localhost,ip:127.0.0.1");
 * SSLContext tls = SSLContext.getInstance("TLS");
 * tls.init(TestCertificates.keyManagers(store).getKeyManagers(), null, null);
 * }</pre>
 */
public final class TestCertificates {

    /** The password of every store made here. */
    public static final String PASSWORD = "changeit";

    private final Path dir;

    /** Makes its stores in {@code dir}, such as a JUnit {@code @TempDir}. */
    public TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A self-signed server certificate for {@code cn} with the given subject alternative names. */
    public Path selfSigned(String name, String cn, String san) {
        Path store = dir.resolve(name + ".p12");
        generateKeyPair(store, "server", "CN=" + cn, "SAN=" + san);
        return store;
    }

    /** A certificate authority; its store holds the CA key, {@link #trustStore} the certificate alone. */
    public Path authority(String name) {
        Path store = dir.resolve(name + ".p12");
        generateKeyPair(store, "ca", "CN=taskwatch test CA " + name, "bc:c");
        keytool(
                "-exportcert",
                "-alias",
                "ca",
                "-rfc",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                dir.resolve(name + ".cer").toString());
        return store;
    }

    /** A trust store holding only the certificate of {@code authority(name)}. */
    public Path trustStore(String name) {
        Path store = dir.resolve(name + "-trust.p12");
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                dir.resolve(name + ".cer").toString(),
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);
        return store;
    }

    /** A server certificate for {@code cn} and {@code san}, signed by {@code authority(ca)}; its chain is in the store. */
    public Path signedBy(String ca, String name, String cn, String san) {
        Path store = dir.resolve(name + ".p12");
        String csr = dir.resolve(name + ".csr").toString();
        String cer = dir.resolve(name + ".cer").toString();
        generateKeyPair(store, "server", "CN=" + cn, null);
        keytool("-certreq", "-alias", "server", "-keystore", store.toString(), "-storepass", PASSWORD, "-file", csr);
        keytool(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                dir.resolve(ca + ".p12").toString(),
                "-storepass",
                PASSWORD,
                "-infile",
                csr,
                "-outfile",
                cer,
                "-ext",
                "SAN=" + san,
                "-validity",
                "2",
                "-rfc");
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                dir.resolve(ca + ".cer").toString(),
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD);
        keytool("-importcert", "-alias", "server", "-file", cer, "-keystore", store.toString(), "-storepass", PASSWORD);
        return store;
    }

    /** An EC P-256 key pair valid for two days under {@code alias} in a new PKCS#12 {@code store}. */
    private void generateKeyPair(Path store, String alias, String dname, @Nullable String extension) {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-dname", dname));
        if (extension != null) {
            args.addAll(List.of("-ext", extension));
        }
        args.addAll(List.of(
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD));
        keytool(args.toArray(String[]::new));
    }

    /**
     * A TLS server context over the key and chain in {@code store}, as a {@code MockWebServer.useHttps} socket factory
     * needs: {@code server.useHttps(TestCertificates.serverContext(store).getSocketFactory())}.
     *
     * @param store a store made here
     * @return an initialised TLS context with the store's key managers and the JDK's trust
     */
    public static SSLContext serverContext(Path store) {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers(store).getKeyManagers(), null, null);
            return tls;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context from " + store, e);
        }
    }

    /** Key managers over the key and chain in {@code store}, for a TLS server. */
    public static KeyManagerFactory keyManagers(Path store) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            return kmf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
