import { z } from 'zod';
import { oidcRefusals } from './oidc.rules';

export const OidcConfigResponse = z.object({
  enabled: z.boolean().describe('是否显示“统一身份认证登录”按钮 (whether the provincial login is offered)'),
});

/** What the provider sends back; the raw query string is what the code exchange checks. */
export const OidcCallbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  iss: z.string().max(2048).optional(),
  session_state: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
});

export const OidcRefusalSchema = z
  .enum(oidcRefusals)
  .describe('登录页 /login?oidc=… 显示的拒绝原因 (why the login was refused; the login page explains it)');

export const redirectResponse = z
  .null()
  .describe('302 重定向：Location 头给出去向 (redirect; see the Location header)');
