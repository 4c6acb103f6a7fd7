using System.Globalization;
using System.Net;
using System.Text;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.Extensions.Options;

namespace Brightline.Network;

/// <summary>
/// Writes a complete FreeRADIUS 3.2 configuration directory (run it with <c>freeradius -d DIR</c>) from the school's
/// policy and settings: radiusd.conf, the <c>brightline</c> virtual server, the rest module pointing at Brightline,
/// clients.conf from the policy's <c>radius_clients</c>. The machine key and the shared secrets are written only to
/// files readable by their owner (<c>brightline-secrets.conf</c>, <c>clients.conf</c>), never printed.
/// If Brightline cannot be reached the rest module fails, and FreeRADIUS rejects — the network fails closed — except on a
/// network the policy says stays up from the cache (<c>when_unreachable: cached</c>, never a pupils' network): there a
/// person whose last live Accept is still cached, and who gives the password it was accepted with, gets that Accept's
/// VLAN again (<see cref="RadiusUnreachableCache"/> explains what is cached and why it is safe).
/// </summary>
public sealed class RadiusConfigWriter(PolicyStore policies, IOptions<RadiusOptions> options)
{
    /// <summary>The files written, relative to the output directory.</summary>
    public static readonly IReadOnlyList<string> Files =
        ["radiusd.conf", "brightline-secrets.conf", "clients.conf", "mods-enabled/rest", "mods-enabled/always", "mods-enabled/brightline_cache",
            "mods-enabled/brightline_answers", "mods-enabled/expr", "mods-enabled/pap", "sites-enabled/brightline"];

    public async Task<IReadOnlyList<string>> WriteAsync(RadiusConfigRequest request, CancellationToken cancellationToken)
    {
        var policy = await policies.ActiveAsync(request.SchoolId, cancellationToken);
        if (!options.Value.MachineKeys.TryGetValue(request.SchoolId, out var key) || string.IsNullOrWhiteSpace(key))
        {
            throw new InvalidException(
                $"There is no machine key for '{request.SchoolId}'. Set {RadiusOptions.Section}:MachineKeys:{request.SchoolId} " +
                $"(environment: Brightline__Radius__MachineKeys__{request.SchoolId}) to a long random value, for example {SecretTokens.New("rad_")}, on the Brightline server and here.");
        }

        if (!IPAddress.TryParse(request.ListenAddress, out _))
        {
            throw new InvalidException($"--listen '{request.ListenAddress}' is not an IP address.");
        }

        if (request.AuthPort is < 1 or > 65534)
        {
            throw new InvalidException($"--port {request.AuthPort} is not a port from 1 to 65534 (accounting uses the next one).");
        }

        if (request.CoaPort is < 1 or > 65535 || request.CoaPort == request.AuthPort || request.CoaPort == request.AccountingPort)
        {
            throw new InvalidException($"--coa-port {request.CoaPort} is not a port from 1 to 65535 apart from the authentication and accounting ports.");
        }

        if (request.BrightlineAddress is { } from && !IPAddress.TryParse(from, out _))
        {
            throw new InvalidException($"--brightline-address '{from}' is not an IP address.");
        }

        if ((request.TlsCertificate is null) != (request.TlsKey is null))
        {
            throw new InvalidException("EAP-TTLS needs both --tls-cert and --tls-key (PEM files).");
        }

        foreach (var file in new[] { request.TlsCertificate, request.TlsKey, request.TlsCa }.OfType<string>())
        {
            if (!File.Exists(file))
            {
                throw new InvalidException($"The file '{file}' does not exist.");
            }
        }

        var clients = Clients(policy.Network);
        var dir = Path.GetFullPath(request.OutputDirectory);
        Directory.CreateDirectory(Path.Combine(dir, "mods-enabled"));
        Directory.CreateDirectory(Path.Combine(dir, "sites-enabled"));
        Directory.CreateDirectory(Path.Combine(dir, "log"));
        Directory.CreateDirectory(Path.Combine(dir, "run"));
        Write(dir, "radiusd.conf", RadiusdConf(dir), secret: false);
        Write(dir, "brightline-secrets.conf", $"# The machine key FreeRADIUS presents to Brightline (Brightline:Radius:MachineKeys:{request.SchoolId}). Keep this file private.\nbrightline_machine_key = \"{Quoted(key.Trim(), "the machine key")}\"\n", secret: true);
        Write(dir, "clients.conf", clients, secret: true);
        Write(dir, "mods-enabled/rest", RestModule(request.BrightlineUrl), secret: false);
        Write(dir, "mods-enabled/always", "# The 'ok' and 'reject' return codes the brightline site uses after rest.\nalways ok {\n\trcode = ok\n}\n\nalways reject {\n\trcode = reject\n}\n", secret: false);
        Write(dir, "mods-enabled/brightline_cache", CacheModule(), secret: false);
        Write(dir, "mods-enabled/brightline_answers", AnswersModules(), secret: false);
        Write(dir, "mods-enabled/expr", "# %{sha256:…}, %{randstr:…} and %{expr:…}, for the answers FreeRADIUS keeps (brightline_answered).\nexpr {\n}\n", secret: false);
        Write(dir, "mods-enabled/pap", "# Checks a password against the cached PBKDF2 hash while Brightline is unreachable (never otherwise).\npap {\n\tnormalise = yes\n}\n", secret: false);
        Write(dir, "sites-enabled/brightline", Site(request), secret: false);
        var written = new List<string>(Files);
        if (request.CoaClientAddress is { } coaClient)
        {
            Write(dir, "sites-enabled/brightline-coa", CoaSite(request, coaClient), secret: false);
            written.Add("sites-enabled/brightline-coa");
        }
        else
        {
            File.Delete(Path.Combine(dir, "sites-enabled/brightline-coa"));
        }

        if (!request.Eap)
        {
            File.Delete(Path.Combine(dir, "mods-enabled/eap"));
            File.Delete(Path.Combine(dir, "sites-enabled/brightline-inner"));
            return written;
        }

        Write(dir, "mods-enabled/eap", EapModule(request), secret: false);
        Write(dir, "sites-enabled/brightline-inner", InnerSite(), secret: false);
        return [.. written, "mods-enabled/eap", "sites-enabled/brightline-inner"];
    }

    private static void Write(string dir, string name, string text, bool secret)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
        {
            // FreeRADIUS refuses nothing world-readable, but a secret has no business being readable by others.
            File.SetUnixFileMode(path, secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    /// <summary>A value for a double-quoted FreeRADIUS string: refused rather than escaped when it holds a quote, a backslash, a '$' or a control character.</summary>
    private static string Quoted(string value, string what) =>
        value.Any(c => c is '"' or '\\' or '$' or '%' || char.IsControl(c))
            ? throw new InvalidException($"{what} contains a quote, backslash, '$', '%' or control character, which FreeRADIUS's configuration would read differently; choose another.")
            : value;

    private string Clients(NetworkPolicy network)
    {
        var sb = new StringBuilder("# RADIUS clients (NAS) from the policy's network.radius_clients. Secrets come from Brightline:Radius:ClientSecrets.\n");
        foreach (var client in network.RadiusClients)
        {
            if (!options.Value.ClientSecrets.TryGetValue(client.SecretSetting, out var secret) || string.IsNullOrEmpty(secret))
            {
                throw new InvalidException(
                    $"RADIUS client '{client.Name}' names the secret setting '{client.SecretSetting}', but {RadiusOptions.Section}:ClientSecrets:{client.SecretSetting} " +
                    $"(environment: Brightline__Radius__ClientSecrets__{client.SecretSetting}) is not set.");
            }

            sb.Append(CultureInfo.InvariantCulture, $$"""

                client {{client.Name}} {
                	ipaddr = {{client.Address}}
                	secret = "{{Quoted(secret, $"The secret of RADIUS client '{client.Name}'")}}"
                	shortname = {{client.Name}}
                	# BlastRADIUS (CVE-2024-3596): every Access-Request must carry a Message-Authenticator.
                	require_message_authenticator = yes
                }

                """);
        }

        return sb.ToString();
    }

    private static string RadiusdConf(string dir) => $$"""
        # Written by `brightline radius config` (docs/network.md). FreeRADIUS 3.2: freeradius -d {{dir}}
        prefix = /usr
        exec_prefix = /usr
        sysconfdir = /etc
        localstatedir = /var
        sbindir = ${exec_prefix}/sbin
        raddbdir = {{dir}}
        confdir = ${raddbdir}
        modconfdir = ${confdir}/mods-config
        certdir = ${confdir}/certs
        cadir = ${confdir}/certs
        logdir = ${confdir}/log
        radacctdir = ${logdir}/radacct
        run_dir = ${confdir}/run
        db_dir = ${confdir}
        libdir = /usr/lib/freeradius
        name = freeradius
        pidfile = ${run_dir}/${name}.pid
        max_request_time = 30
        cleanup_delay = 5
        max_requests = 16384
        hostname_lookups = no

        $INCLUDE ${confdir}/brightline-secrets.conf

        log {
        	destination = files
        	colourise = no
        	file = ${logdir}/radius.log
        	syslog_facility = daemon
        	stripped_names = no
        	# No passwords in the log, good or bad.
        	auth = yes
        	auth_badpass = no
        	auth_goodpass = no
        }

        checkrad = ${sbindir}/checkrad

        security {
        	allow_core_dumps = no
        	max_attributes = 200
        	reject_delay = 1
        	status_server = yes
        }

        proxy_requests = no

        $INCLUDE ${confdir}/clients.conf

        thread pool {
        	start_servers = 5
        	max_servers = 32
        	min_spare_servers = 3
        	max_spare_servers = 10
        	max_requests_per_server = 0
        	auto_limit_acct = no
        }

        modules {
        	$INCLUDE ${confdir}/mods-enabled/
        }

        instantiate {
        }

        policy {
        {{CachePolicies()}}
        }

        $INCLUDE ${confdir}/sites-enabled/

        """;

    private static string RestModule(Uri url)
    {
        var baseUrl = Quoted(url.GetLeftPart(UriPartial.Authority) + url.AbsolutePath.TrimEnd('/'), "The Brightline address");
        var section = (string name, string path) => $$"""
            	{{name}} {
            		uri = "${..connect_uri}{{path}}"
            		method = 'post'
            		body = 'json'
            		timeout = 3.0
            		tls = ${..tls}
            	}

            """;
        return $$"""
            # The rest module: FreeRADIUS asks Brightline ({{baseUrl}}) through rlm_rest's JSON (docs/network.md).
            # The machine key is added per call as control:REST-HTTP-Header by the brightline site.
            rest {
            	tls {
            		check_cert = yes
            		check_cert_cn = yes
            	}

            	connect_uri = "{{baseUrl}}"
            	connect_timeout = 2.0

            {{section("authorize", RadiusApi.AuthorizePath)}}{{section("authenticate", RadiusApi.AuthenticatePath)}}{{section("post-auth", RadiusApi.PostAuthPath)}}{{section("accounting", RadiusApi.AccountingPath)}}
            	pool {
            		# start = 0: FreeRADIUS starts even while Brightline is down (and rejects until it is back).
            		start = 0
            		min = 0
            		max = 32
            		spare = 4
            		uses = 0
            		retry_delay = 1
            		lifetime = 0
            		idle_timeout = 60
            	}
            }

            """;
    }

    /// <summary>
    /// The cache of live Accepts for networks that stay up while Brightline is unreachable, in memory only. Keyed on the
    /// user name and the network as the request names it (NAS-Identifier and SSID), so an Accept on one network is never
    /// replayed on another. Brightline decides which Accepts are cached and for how long (control:Cache-TTL, negative:
    /// replace any older entry); this module only keeps what it is given.
    /// </summary>
    private static string CacheModule() => """
        # Live Accepts kept for networks with 'when_unreachable: cached' (docs/network.md). In memory only: a restart empties it.
        # Each entry: a salted PBKDF2 hash of the password Brightline accepted (never the password) and the VLAN.
        cache brightline_cache {
        	driver = "rlm_cache_rbtree"
        	# As the request spells them: a different spelling misses the cache, which fails closed.
        	key = "%{User-Name}|%{NAS-Identifier}|%{control:Tmp-String-1}"
        	# The longest an entry could live (cache_minutes is at most 1440); Brightline sets each entry's own TTL.
        	ttl = 86400
        	add_stats = no
        	update {
        		&control:PBKDF2-Password := &control:PBKDF2-Password
        		&reply:Tunnel-Type := &reply:Tunnel-Type
        		&reply:Tunnel-Medium-Type := &reply:Tunnel-Medium-Type
        		&reply:Tunnel-Private-Group-Id := &reply:Tunnel-Private-Group-Id
        	}
        }

        """;

    /// <summary>
    /// The answers FreeRADIUS gives itself to repeat sign-ins (<see cref="FreeRadiusAnswers"/>), in memory only: one
    /// entry per user name as typed, and the school's generation, which Brightline's CoA message replaces to make every
    /// entry stale at once.
    /// </summary>
    private static string AnswersModules() => """
        # Repeat sign-ins answered here, without asking Brightline (docs/network.md, "Repeat sign-ins"). In memory only.
        # Each entry: what Brightline's last live Accept for the user name said (VLAN, when the session must end), a salted
        # SHA-256 of the password it checked, the network and device it was for, and the generation it belongs to.
        cache brightline_answers {
        	driver = "rlm_cache_rbtree"
        	key = "%{User-Name}"
        	# The longest an entry could live; Brightline sets each entry's own TTL (minutes, and never past its session's end).
        	ttl = 3600
        	add_stats = no
        	update {
        		&control:Tmp-String-3 := &control:Tmp-String-3
        		&control:Tmp-String-4 := &control:Tmp-String-4
        		&control:Tmp-String-5 := &control:Tmp-String-5
        		&control:Tmp-String-7 := &control:Tmp-String-6
        		&control:Tmp-Integer-3 := &control:Tmp-Integer-3
        		&reply:Tunnel-Type := &reply:Tunnel-Type
        		&reply:Tunnel-Medium-Type := &reply:Tunnel-Medium-Type
        		&reply:Tunnel-Private-Group-Id := &reply:Tunnel-Private-Group-Id
        	}
        }

        # The generation: a random token (and the policy version it was made under). An entry made under another token is
        # never used. Brightline's CoA message (an access change anywhere in the school) and a new policy version replace it.
        cache brightline_generation {
        	driver = "rlm_cache_rbtree"
        	key = "generation"
        	ttl = 86400
        	add_stats = no
        	update {
        		&control:Tmp-String-6 := &control:Tmp-String-6
        		&control:Tmp-String-0 := &control:Tmp-String-0
        	}
        }

        """;

    private static string CachePolicies() => $$$"""
        	# The SSID part of Called-Station-Id ("AA-BB-CC-DD-EE-FF:School-Staff", RFC 3580), for the cache's key: the
        	# network, not the access point, so a cached Accept follows a person between access points of one network.
        	brightline_cache_key {
        		if (&Called-Station-Id && &Called-Station-Id =~ /^[^:]*:(.+)$/) {
        			update control {
        				&Tmp-String-1 := "%{1}"
        			}
        		}
        	}

        	# Brightline is unreachable. Only an entry a live Accept left (networks with 'when_unreachable: cached'; pupils'
        	# networks never have one) can let the person on, and only with the password that Accept checked: pap compares
        	# it with the cached PBKDF2 hash. No entry, no password, or a wrong one: reject, as every other network does.
        	brightline_from_cache {
        		# Marks this request as answered without Brightline, so its reject does not forget the entry (below).
        		update control {
        			&Tmp-String-2 := "brightline-unreachable"
        		}

        		if (!&User-Password) {
        			reject
        		}

        		brightline_cache_key
        		update control {
        			&Cache-Read-Only := yes
        		}

        		brightline_cache
        		# Found (rlm_cache 3.2 says ok when it merges a read-only entry; updated in other versions).
        		if (ok || updated) {
        			update control {
        				&Auth-Type := brightline_cached
        			}

        			update reply {
        				&Session-Timeout := {{{RadiusUnreachableCache.CachedSessionSeconds}}}
        				&Termination-Action := Default
        				&Reply-Message := "Brightline could not be reached: accepted from the last sign-in on this network."
        			}
        		}
        		else {
        			reject
        		}
        	}

        	# After a live Accept that Brightline marked for caching (it sent the hash and the entry's lifetime).
        	brightline_remember {
        		if (&control:PBKDF2-Password && (&control:Auth-Type == "rest" || &control:Auth-Type == "Accept")) {
        			brightline_cache_key
        			brightline_cache
        		}
        	}

        	# A repeat sign-in answered here (FreeRadiusAnswers in Brightline says why this is safe): an entry for the user name
        	# under the current generation, for the same network and device, and the password whose salted SHA-256 it holds.
        	# Anything else asks Brightline, which answers, counts a wrong password and refreshes the entry.
        	brightline_answered {
        		if (&User-Password) {
        			brightline_cache_key
        			update control {
        				&Cache-Read-Only := yes
        			}

        			brightline_generation
        			if (ok || updated) {
        				brightline_answers
        				if ((ok || updated) && &control:Tmp-String-7 == &control:Tmp-String-6) {
        					if (&control:Tmp-String-5 == "%{NAS-Identifier}|%{control:Tmp-String-1}|%{Calling-Station-Id}") {
        						if (&control:Tmp-String-4 == "%{sha256:%{control:Tmp-String-3}%{User-Password}}") {
        							update control {
        								&Auth-Type := Accept
        								&Tmp-String-8 := "answered-by-freeradius"
        							}

        							update reply {
        								&Session-Timeout := "%{expr:%{control:Tmp-Integer-3} - %l}"
        								&Termination-Action := Default
        							}
        						}
        					}
        				}

        				# Not answered here: nothing read from an entry goes into Brightline's answer.
        				if (!&control:Tmp-String-8) {
        					update control {
        						&Tmp-String-3 !* ANY
        						&Tmp-String-4 !* ANY
        						&Tmp-String-5 !* ANY
        						&Tmp-String-7 !* ANY
        						&Tmp-Integer-3 !* ANY
        					}

        					update reply {
        						&Tunnel-Type !* ANY
        						&Tunnel-Medium-Type !* ANY
        						&Tunnel-Private-Group-Id !* ANY
        					}
        				}
        			}

        			update control {
        				&Cache-Read-Only !* ANY
        				&Tmp-String-6 !* ANY
        				&Tmp-String-0 !* ANY
        			}
        		}
        	}

        	# After a live Accept that Brightline said FreeRADIUS may repeat (it sent the salted hash, the session's length, the
        	# entry's lifetime and its policy version): keep it under the current generation, making a new generation when
        	# there is none yet or the policy version has changed (every older entry is then stale).
        	brightline_keep_answer {
        		if (&control:Tmp-String-4 && &control:Tmp-Integer-4 && &control:Tmp-String-9 && !&control:Tmp-String-8) {
        			brightline_cache_key
        			update control {
        				&Cache-Read-Only := yes
        			}

        			brightline_generation
        			update control {
        				&Cache-Read-Only !* ANY
        			}

        			if (!&control:Tmp-String-6 || &control:Tmp-String-0 != &control:Tmp-String-9) {
        				update control {
        					&Tmp-String-6 := "%{randstr:hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh}"
        					&Tmp-String-0 := &control:Tmp-String-9
        					&Cache-TTL := -86400
        				}

        				brightline_generation
        			}

        			update control {
        				&Tmp-String-5 := "%{NAS-Identifier}|%{control:Tmp-String-1}|%{Calling-Station-Id}"
        				# Brightline sent the session's length; the moment it ends is kept by this server's own clock.
        				&Tmp-Integer-3 := "%{expr:%l + %{control:Tmp-Integer-3}}"
        				&Cache-TTL := "-%{control:Tmp-Integer-4}"
        			}

        			brightline_answers
        		}
        	}

        	# After a live Reject (Brightline answered): forget this person's cached Accept on this network, so a refusal is
        	# never overridden by the cache later. A reject while Brightline is unreachable (a wrong password, no entry)
        	# forgets nothing: otherwise anyone could empty a colleague's entry during an outage by mistyping on purpose.
        	# Only an entry that exists is expired: rlm_cache 3.2 given Cache-TTL 0 and no entry creates an empty one, and
        	# a reject for any made-up user name would then grow the cache. (rlm_cache takes its control attributes away
        	# after each call, so they are set before each.)
        	brightline_forget {
        		if (!&control:Tmp-String-2) {
        			brightline_cache_key
        {{{ExpireIfPresent("brightline_cache")}}}
        {{{ExpireIfPresent("brightline_answers")}}}
        		}
        	}
        """;

    /// <summary>
    /// unlang that expires the request's entry in the rlm_cache module <paramref name="module"/> only when it exists
    /// (<c>brightline_forget</c> says why), indented for the body of that policy's <c>if</c>.
    /// </summary>
    private static string ExpireIfPresent(string module) => $$"""
        			update control {
        				&Cache-Status-Only := yes
        			}

        			{{module}}
        			if (ok) {
        				update control {
        					&Cache-TTL := 0
        				}

        				{{module}}
        			}
        """;

    private static string EapModule(RadiusConfigRequest request) => $$"""
        # EAP-TTLS with PAP inside (docs/network.md): the password reaches Brightline, which checks it against the portal
        # account. PEAP-MSCHAPv2 is not offered: it needs an NT hash Brightline does not (and should not) keep.
        eap {
        	default_eap_type = ttls
        	timer_expire = 60
        	ignore_unknown_eap_types = no
        	cisco_accounting_username_bug = no
        	max_sessions = ${max_requests}

        	tls-config tls-common {
        		certificate_file = {{Quoted(Path.GetFullPath(request.TlsCertificate!), "The certificate path")}}
        		private_key_file = {{Quoted(Path.GetFullPath(request.TlsKey!), "The key path")}}
        		ca_file = {{Quoted(Path.GetFullPath(request.TlsCa ?? request.TlsCertificate!), "The CA path")}}
        		cipher_list = "DEFAULT"
        		tls_min_version = "1.2"
        		tls_max_version = "1.2"
        		ecdh_curve = ""
        	}

        	ttls {
        		tls = tls-common
        		# The outer request's attributes (Called-Station-Id, NAS-Identifier) go inside, so Brightline knows the network.
        		copy_request_to_tunnel = yes
        		# The inner answer (VLAN, Session-Timeout, the real User-Name for accounting) is the outer answer.
        		use_tunneled_reply = yes
        		virtual_server = "brightline-inner"
        	}
        }

        """;

    private static string InnerSite()
    {
        const string key = "\t\tupdate control {\n\t\t\t&REST-HTTP-Header += \"Authorization: Bearer ${brightline_machine_key}\"\n\t\t}\n";
        return $$"""
            # The inside of EAP-TTLS: the same questions to Brightline with the person's real user name and password.
            server brightline-inner {
            	authorize {
            		# A repeat sign-in FreeRADIUS may answer itself (the same check as the outer site's).
            		brightline_answered
            		if (!&control:Tmp-String-8) {
            	{{key.Replace("\n\t\t", "\n\t\t\t", StringComparison.Ordinal)}}			rest {
            				fail = 1
            			}
            			if (fail) {
            				brightline_from_cache
            			}
            		}
            	}

            	authenticate {
            		Auth-Type brightline_cached {
            			pap
            		}

            		Auth-Type rest {
            	{{key.Replace("\n\t\t", "\n\t\t\t", StringComparison.Ordinal)}}			rest
            			if (updated) {
            				ok
            			}
            		}
            	}

            	post-auth {
            		# The NAS uses the accepted User-Name for accounting: the person's, not the anonymous outer identity.
            		update reply {
            			&User-Name := &request:User-Name
            		}
            		brightline_remember
            		brightline_keep_answer

            		# Inside post-auth, where FreeRADIUS looks for it (a REJECT section beside post-auth is never run).
            		Post-Auth-Type REJECT {
            			brightline_forget
            			# FreeRADIUS does not copy a tunnelled reject's attributes out: keep Brightline's reason in the outer
            			# session so the outer reject carries it to the controller's log.
            			if (&reply:Reply-Message) {
            				update outer.session-state {
            					&Reply-Message := &reply:Reply-Message
            				}
            			}
            		}
            	}
            }

            """;
    }

    private static string Site(RadiusConfigRequest request)
    {
        const string key = "\tupdate control {\n\t\t&REST-HTTP-Header += \"Authorization: Bearer ${brightline_machine_key}\"\n\t}\n";
        string Indent(string text, int tabs) => string.Join('\n', text.TrimEnd('\n').Split('\n').Select(l => new string('\t', tabs) + l)) + "\n";
        return $$"""
            # The brightline virtual server: every decision is Brightline's (docs/network.md).
            # authorize: Brightline checks the network, the account and — the password being in the request (PAP, or PAP
            # inside EAP-TTLS) — the password and the person's access, and answers with the VLAN, Session-Timeout and
            # Auth-Type Accept, so FreeRADIUS accepts without authenticate (one call per sign-in), or rejects with a
            # Reply-Message; for MAC authentication of a registered school device likewise (the MAC is not a secret to
            # check); a guest voucher gets Auth-Type rest, and authenticate checks it;
            # accounting: Brightline binds Framed-IP-Address to the person for the DNS filter (Stop unbinds).
            # A 4xx from Brightline is a reject; Brightline unreachable (fail) is a reject too: the network fails closed.
            server brightline {
            	listen {
            		type = auth
            		ipaddr = {{request.ListenAddress}}
            		port = {{request.AuthPort}}
            	}

            	listen {
            		type = acct
            		ipaddr = {{request.ListenAddress}}
            		port = {{request.AccountingPort}}
            	}

            	authorize {
            {{(request.Eap ? "\t\t# EAP (802.1X): the eap module runs TTLS; the password inside is checked by the brightline-inner site.\n\t\teap {\n\t\t\tok = return\n\t\t}\n\n" : "")}}		# A repeat sign-in FreeRADIUS may answer itself: the policy brightline_answered says when.
            		brightline_answered
            		if (!&control:Tmp-String-8) {
            {{Indent(key, 2)}}			rest {
            				fail = 1
            			}
            			# Brightline unreachable (not a refusal: that is reject): only a cached Accept with the right password lets anyone on.
            			if (fail) {
            				brightline_from_cache
            			}
            		}
            	}

            	authenticate {
            {{(request.Eap ? "\t\teap\n\n" : "")}}		Auth-Type brightline_cached {
            			pap
            		}

            		Auth-Type rest {
            {{Indent(key, 2)}}			rest
            			# rlm_rest says "updated" when Brightline's 200 added attributes; only ok authenticates.
            			if (updated) {
            				ok
            			}
            		}
            	}

            	accounting {
            {{Indent(key, 1)}}		rest
            	}

            	# post-auth does not call Brightline: authorize and authenticate have recorded what the Network page shows,
            	# and a third HTTP call per sign-in would only cost time when a trust's devices rejoin at once.
            	post-auth {
            		brightline_remember
            		brightline_keep_answer
            		ok

            		Post-Auth-Type REJECT {
            			brightline_forget
            			# An EAP-TTLS reject: the reason the inner tunnel kept (above); a reject outside the tunnel has its own.
            			if (!&reply:Reply-Message && &session-state:Reply-Message) {
            				update reply {
            					&Reply-Message := &session-state:Reply-Message
            				}
            			}
            		}
            	}
            }

            """;
    }

    /// <summary>
    /// Where Brightline tells FreeRADIUS to forget the answers it keeps (<see cref="FreeRadiusAnswers"/>): a CoA listener
    /// (RFC 5176) whose one client is Brightline, with the machine key as the shared secret. Any Disconnect- or
    /// CoA-Request it accepts replaces the generation, so no entry made before it is used again.
    /// </summary>
    private static string CoaSite(RadiusConfigRequest request, string brightlineAddress) => $$"""
        # Brightline's "forget the answers you keep" (docs/network.md, "Repeat sign-ins"): sent after every access change.
        clients brightline_coa_clients {
        	client brightline {
        		ipaddr = {{brightlineAddress}}
        		secret = "${brightline_machine_key}"
        		shortname = brightline
        		require_message_authenticator = yes
        	}
        }

        server brightline-coa {
        	listen {
        		type = coa
        		ipaddr = {{request.ListenAddress}}
        		port = {{request.CoaPort}}
        		clients = brightline_coa_clients
        	}

        	recv-coa {
        		update control {
        			&Tmp-String-6 := "%{randstr:hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh}"
        			&Tmp-String-0 := "forgotten"
        			&Cache-TTL := -86400
        		}

        		# rlm_cache has no recv-coa method: its authorize method does the same store.
        		brightline_generation.authorize
        		ok
        	}

        	send-coa {
        		ok
        	}
        }

        """;
}
