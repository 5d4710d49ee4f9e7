package dev.releaseconsole.services.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's keytool and written as PEM files a
 * server such as Prometheus ({@code tls_server_config}) reads; the certificate doubles as the CA a client trusts.
 */
public final class TestCertificates {
    /** The certificate (also the CA to trust) and its unencrypted PKCS#8 private key, both PEM. */
    public record Pair(Path certificate, Path privateKey) {
    }

    private TestCertificates() {
    }

    public static Pair selfSigned(Path dir, String name) {
        try {
            Path store = dir.resolve(name + ".p12");
            String pass = "changeit-" + System.nanoTime();
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", pass,
                    "-keypass", pass)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, pass.toCharArray());
            }
            Key key = ks.getKey(name, pass.toCharArray());
            Certificate cert = ks.getCertificate(name);
            Path certPem = dir.resolve(name + ".crt");
            Path keyPem = dir.resolve(name + ".key");
            Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
            Files.delete(store);
            return new Pair(certPem, keyPem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
